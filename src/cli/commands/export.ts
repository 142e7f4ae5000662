import { writeFileSync } from "node:fs";
import { buildExport, listExportable } from "../../engine/export.js";
import type { ExportSelection } from "../../engine/export.js";
import type { EnvironmentInfo } from "../../engine/types.js";
import { ParityError } from "../../model/index.js";
import type { PlannedEnvironment } from "../../model/index.js";
import { AwsContext, awsProvider, describeAwsFailure } from "../../providers/aws/index.js";
import { renderExportYaml } from "../../render/exportYaml.js";
import type { CommandContext } from "../context.js";
import { awsOptions } from "../workflow.js";

export type ExportCommandOptions = {
  environment: string;
  project?: string;
  select?: string[];
  tag?: string[];
  follow?: boolean;
  out?: string;
  imageFromInstance?: boolean;
};

/** `--select loadBalancers:webdev-*` → the kind and its name pattern, checked against the registry. */
export function parseSelect(values: string[]): ExportSelection["select"] {
  const kinds = awsProvider.kinds.map((k) => k.key);
  return values.map((value) => {
    // A kind alone (`--select buckets`) is all of it.
    const at = value.includes(":") ? value.indexOf(":") : value.length;
    const kind = value.slice(0, at);
    if (!kinds.includes(kind))
      throw new ParityError(
        `--select ${value}: "${kind || value}" is not a kind`,
        `write KIND:PATTERN with KIND one of ${kinds.join(", ")}`,
      );
    return { kind, pattern: value.slice(at + 1) || "*" };
  });
}

export function parseTags(values: string[]): ExportSelection["tags"] {
  return values.map((value) => {
    const at = value.indexOf("=");
    if (at <= 0) throw new ParityError(`--tag ${value}: expected KEY=VALUE`, "e.g. --tag project=khorium");
    return { key: value.slice(0, at), value: value.slice(at + 1) };
  });
}

/** Reads the region, writes the selected resources as an environment file (stdout or --out). */
export async function exportCommand(options: ExportCommandOptions, context: CommandContext): Promise<number> {
  const { global, output, connection } = context;
  const region = global.region ?? process.env.AWS_REGION;
  if (!region) throw new ParityError("export needs a region", "pass --region, e.g. --region us-west-1");
  const selection: ExportSelection = {
    select: parseSelect(options.select ?? []),
    tags: parseTags(options.tag ?? []),
    follow: options.follow === true,
  };
  const info: EnvironmentInfo = {
    environment: options.environment,
    ...(options.project !== undefined ? { project: options.project } : {}),
    region,
    tags: {},
    secrets: {},
  };
  const ctx = new AwsContext(awsOptions(region, connection), info);
  try {
    const planned: PlannedEnvironment = {
      file: options.out ?? "-",
      environment: info.environment,
      ...(info.project !== undefined ? { project: info.project } : {}),
      region,
      tags: {},
      network: { vpc: "default", subnets: "default" },
      nodes: [],
      checks: [],
    };
    const [facts, listed] = await Promise.all([
      awsProvider.lookup(ctx, planned),
      listExportable(awsProvider.kinds, ctx, info),
    ]).catch((error: unknown) => {
      throw describeAwsFailure(error, connection.endpoint, "reading");
    });
    const result = buildExport({
      listed,
      kinds: awsProvider.kinds,
      selection,
      env: info,
      facts,
      options: { imageFromInstance: options.imageFromInstance === true },
    });
    const header = [
      `Exported by parity from ${region}: plan it to adopt these resources.`,
      ...(result.secrets.length > 0 ? [`Secrets are read from: ${result.secrets.join(", ")}`] : []),
    ];
    const yaml = renderExportYaml(result, header);
    if (options.out) writeFileSync(options.out, yaml);
    else output.out(yaml);
    for (const { address, what } of result.omitted) output.err(`${address}: parity cannot express: ${what}`);
    if (result.secrets.length > 0)
      output.err(`Set these variables before planning the file: ${result.secrets.join(", ")}`);
    output.err(
      result.addresses.length === 0
        ? "Nothing matched: no resource was exported."
        : `Exported ${result.addresses.length} entr${result.addresses.length === 1 ? "y" : "ies"}${options.out ? ` to ${options.out}` : ""}.`,
    );
    return 0;
  } finally {
    ctx.destroy();
  }
}
