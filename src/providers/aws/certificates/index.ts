import { mapKind } from "../../../engine/kinds.js";
import type { Kind, KindProblem, ResourceType } from "../../../engine/types.js";
import type { Change } from "../../../model/index.js";
import { owned } from "../common/owned.js";
import { stringList } from "../common/readers.js";
import type { AwsContext } from "../context.js";
import { regionProblem } from "../regions.js";
import { desiredCertificate, normaliseDomain, regionOf } from "./desired.js";
import { lookupValidationZones, observeCertificates } from "./observe.js";
import {
  acmTagger,
  adoptCertificate,
  createCertificate,
  deleteCertificate,
  replaceCertificate,
  updateCertificate,
} from "./operations.js";
import { recordsOf } from "./validation.js";
import { CertificateSchema, TYPE, certificateSpec } from "./schema.js";

function notesOf(
  change: Change,
  observed: Parameters<NonNullable<ResourceType<AwsContext>["notes"]>>[1],
): string[] {
  const after = change.after ?? {};
  const names = [String(after.domain ?? ""), ...stringList(after.subjectAlternativeNames)].join(", ");
  const validates =
    change.action === "create" ||
    change.action === "replace" ||
    (change.action === "update" && change.attributes.some((a) => a.path === "status"));
  const notes: string[] = [];
  if (validates)
    notes.push(
      `write the DNS validation records for ${names} into their hosted zone, then wait until ACM issues it`,
    );
  if (change.action === "delete" || change.action === "replace") {
    const records = recordsOf(observed?.details?.validationRecords).length;
    if (records > 0) notes.push(`delete its ${records} validation record${records === 1 ? "" : "s"}`);
  }
  return notes;
}

/** A region the schema's pattern lets through but AWS does not have. */
function checkCertificate(_address: string, spec: Parameters<Kind<AwsContext>["expand"]>[1]): KindProblem[] {
  const { region } = certificateSpec({ spec });
  const problem = region !== undefined ? regionProblem(region) : undefined;
  return problem ? [{ path: ["region"], ...problem }] : [];
}

export const certificateType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: CertificateSchema,
  // A new certificate is validated through DNS: minutes, usually.
  expectedSeconds: { create: 300, update: 300, replace: 330, delete: 30 },
  // The attributes parity computes: a certificate ACM gave up on is requested again.
  replaceOn: ["usable"],
  notes: notesOf,
  plannedOutputs: (node, env) => {
    const s = certificateSpec(node);
    return { domain: normaliseDomain(s.domain), region: regionOf(s, env) };
  },
  desired: desiredCertificate,
  observe: observeCertificates,
  lookup: lookupValidationZones,
  create: createCertificate,
  update: updateCertificate,
  adopt: adoptCertificate,
  replace: replaceCertificate,
  delete: deleteCertificate,
};

export const certificates: Kind<AwsContext> = mapKind(
  owned(certificateType, () => acmTagger),
  { outputs: ["arn", "domain", "region"], check: checkCertificate },
);
