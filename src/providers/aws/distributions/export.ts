import pLimit from "p-limit";
import type { ExportItem, Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { issuedCertificates } from "../certificates/issued.js";
import type { CertificateFacts } from "../common/certificates.js";
import { domainOfCertificate } from "../common/certificateDomains.js";
import { exportedTags, itemOf } from "../common/exporting.js";
import type { AwsContext } from "../context.js";
import {
  CACHING_OPTIMIZED_POLICY,
  CERTIFICATE_REGION,
  DEFAULT_MINIMUM_PROTOCOL,
  METHODS,
  asAttrs,
} from "./canonical.js";
import { canonicalFromConfig } from "./config.js";
import { getConfig, listDistributions, outputsOf } from "./observe.js";

const CONFIG_READS = 4;

/** The file's default for the default behaviour's viewer protocol (desired.ts). */
const DEFAULT_VIEWER_PROTOCOL = "redirect-to-https";

/** Every distribution of the account (CloudFront is global), named by its first alias. */
export const distributionExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const [listed, issued] = await Promise.all([
      listDistributions(ctx),
      issuedCertificates(ctx, CERTIFICATE_REGION),
    ]);
    const limit = pLimit(CONFIG_READS);
    const found = await Promise.all(
      listed.map((l) =>
        limit(async (): Promise<ExportItem | undefined> => {
          const id = l.summary.Id ?? "";
          const current = await getConfig(ctx, id);
          if (!current) return undefined;
          const canonical = canonicalFromConfig(current.config);
          const arn = typeof canonical.certificate?.arn === "string" ? canonical.certificate.arn : undefined;
          const aliases = canonical.aliases ?? [];
          const domain = arn
            ? domainOfCertificate(issued, arn, CERTIFICATE_REGION)
            : aliases.length > 0
              ? coveringDomain(issued, aliases)
              : undefined;
          const node = {
            id,
            attributes: asAttrs(canonical),
            outputs: outputsOf(l.summary),
            details: {
              ...(domain !== undefined ? { certificateDomain: domain } : {}),
              functions: current.config.DefaultCacheBehavior?.FunctionAssociations?.Quantity ?? 0,
              errorPages: current.config.CustomErrorResponses?.Quantity ?? 0,
              logging: current.config.Logging?.Enabled === true,
            },
          };
          const name = canonical.aliases?.[0] ?? id;
          return itemOf(node, name, l.tags, env);
        }),
      ),
    );
    return found.filter((item): item is ExportItem => item !== undefined);
  },
  entry([item], context) {
    const a = item!.attributes;
    const omitted: string[] = [];
    const origins: { [id: string]: Value } = {};
    for (const [id, origin] of Object.entries(isPlainObject(a.origins) ? a.origins : {})) {
      if (!isPlainObject(origin)) continue;
      if (origin.protocol === "s3") {
        omitted.push(`origin ${id} is an S3 REST origin (parity writes custom origins only)`);
        continue;
      }
      origins[id] = {
        domain: context.refs.interpolate(String(origin.domain ?? "")),
        protocol: origin.protocol ?? "http-only",
        httpPort: origin.httpPort ?? 80,
        httpsPort: origin.httpsPort ?? 443,
      };
    }
    const defaults = isPlainObject(a.defaultBehavior) ? a.defaultBehavior : {};
    const viewer = String(defaults.viewerProtocol ?? DEFAULT_VIEWER_PROTOCOL);
    const behaviors = (Array.isArray(a.behaviors) ? a.behaviors : []).filter(isPlainObject);
    const certificate = certificateOf(a.certificate, item!);
    const aliases = Array.isArray(a.aliases) ? a.aliases : [];
    if (
      (aliases.length > 0 && !isPlainObject(a.certificate)) ||
      (isPlainObject(a.certificate) && a.certificate.arn === null && aliases.length > 0)
    )
      omitted.push(
        certificate
          ? `it serves ${aliases.join(", ")} without an ACM certificate, which a file cannot say: the file names the one that covers them, and the plan attaches it`
          : `it serves ${aliases.join(", ")} without an ACM certificate and none in ${CERTIFICATE_REGION} covers them: add one before planning`,
      );
    if (Number(item!.details?.functions ?? 0) > 0)
      omitted.push("its default behaviour's function associations");
    if (Number(item!.details?.errorPages ?? 0) > 0) omitted.push("its custom error responses");
    if (item!.details?.logging === true) omitted.push("its access logging");
    return {
      spec: {
        // Without aliases, only its id can adopt it.
        ...(aliases.length === 0 ? { id: item!.id } : { aliases }),
        ...(certificate ? { certificate } : {}),
        origins,
        defaultBehavior: behavior(defaults, DEFAULT_VIEWER_PROTOCOL, omitted),
        ...(behaviors.length > 0 ? { behaviors: behaviors.map((b) => behavior(b, viewer, omitted)) } : {}),
        enabled: a.enabled ?? true,
        comment: a.comment ?? "",
        priceClass: a.priceClass ?? "PriceClass_All",
        ...exportedTags(item!.tags),
      },
      omitted,
    };
  },
  keyNoise: ["cloudfront", "cdn", "distribution", "com", "net", "org", "io", "ai"],
};

/** The name of a us-east-1 certificate that covers every alias (`*.khorium.ai` covers `app.khorium.ai`). */
function coveringDomain(issued: CertificateFacts, aliases: string[]): string | undefined {
  const names = Object.keys(issued)
    .filter((key) => key.startsWith(`${CERTIFICATE_REGION}|`))
    .map((key) => key.slice(CERTIFICATE_REGION.length + 1));
  const covers = (name: string, alias: string) =>
    name === alias ||
    (name.startsWith("*.") &&
      alias.endsWith(name.slice(1)) &&
      !alias.slice(0, -name.length + 1).includes("."));
  return names.find((name) => aliases.every((alias) => covers(name, alias)));
}

function certificateOf(value: Value | undefined, item: ExportItem): Value | undefined {
  const domain = item.details?.certificateDomain;
  if (!isPlainObject(value) || typeof value.arn !== "string")
    return typeof domain === "string" ? { domain } : undefined;
  const version = value.minimumProtocolVersion;
  return {
    ...(typeof domain === "string" ? { domain } : { arn: value.arn }),
    ...(version !== DEFAULT_MINIMUM_PROTOCOL ? { minimumProtocolVersion: version ?? "TLSv1" } : {}),
  };
}

/** A behaviour in the file's terms; `inherited` is the viewer protocol it gets when it says none. */
function behavior(
  b: { [key: string]: Value },
  inherited: string,
  omitted: string[],
): { [key: string]: Value } {
  const methods = String(b.allowedMethods ?? "get-head");
  if (!(methods in METHODS))
    omitted.push(`behaviour ${String(b.path ?? "default")}'s allowed methods ${methods}`);
  const legacy = b.cachePolicyId === null;
  return {
    ...(b.path !== undefined ? { path: b.path } : {}),
    origin: b.origin ?? "",
    ...(b.viewerProtocol !== inherited ? { viewerProtocol: b.viewerProtocol ?? inherited } : {}),
    ...(methods in METHODS ? { allowedMethods: methods } : {}),
    // Any of the three asks for legacy forwarding; an empty header list says it and no more.
    ...(legacy
      ? {
          forwardHeaders: Array.isArray(b.forwardHeaders) ? b.forwardHeaders : [],
          forwardCookies: b.forwardCookies ?? "all",
          forwardQueryString: b.forwardQueryString ?? true,
        }
      : b.cachePolicyId !== CACHING_OPTIMIZED_POLICY
        ? { cachePolicyId: b.cachePolicyId ?? CACHING_OPTIMIZED_POLICY }
        : {}),
    ...(b.originRequestPolicyId !== null && b.originRequestPolicyId !== undefined
      ? { originRequestPolicyId: b.originRequestPolicyId }
      : {}),
    compress: b.compress ?? true,
  };
}
