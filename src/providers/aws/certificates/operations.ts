import {
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  RequestCertificateCommand,
} from "@aws-sdk/client-acm";
import type { CertificateDetail } from "@aws-sdk/client-acm";
import type { Operation, Outputs } from "../../../engine/types.js";
import { claimThenUpdate, syncTags } from "../common/adoption.js";
import type { Tagger } from "../common/adoption.js";
import { creationTags, toAwsTags } from "../common/ownership.js";
import { maybeString, stringList, tagMap } from "../common/readers.js";
import { deleteWhenReleased, waitFor } from "../common/waiting.js";
import type { Patience } from "../common/waiting.js";
import type { AwsContext } from "../context.js";
import { DEAD_STATUSES } from "./desired.js";
import { arnRegion, certificateOutputs, describeCertificate } from "./observe.js";
import { deleteValidationRecords, recordsOf, writeValidationRecords } from "./validation.js";
import type { ValidationRecord } from "./validation.js";

// ACM answers with the records within seconds; DNS validation usually takes minutes, and ACM itself
// gives up after 72 hours: bounds, not estimates.
const UNTIL_RECORDS: Patience = { timeoutMs: 5 * 60_000, intervalMs: 2000 };
const UNTIL_ISSUED: Patience = { timeoutMs: 4 * 60 * 60_000, intervalMs: 15_000 };
const UNTIL_RELEASED: Patience = { timeoutMs: 30 * 60_000, intervalMs: 10_000 };

/** ACM writes tags by ARN, which is the observed node's id. */
export const acmTagger: Tagger = async (ctx, arn, tags) => {
  await ctx
    .acm(arnRegion(arn))
    .send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: toAwsTags(tags) }));
};

function validationRecords(detail: CertificateDetail): ValidationRecord[] {
  return (detail.DomainValidationOptions ?? []).flatMap((o) =>
    o.ResourceRecord?.Name && o.ResourceRecord.Value
      ? [
          {
            name: o.ResourceRecord.Name,
            type: String(o.ResourceRecord.Type ?? "CNAME"),
            value: o.ResourceRecord.Value,
          },
        ]
      : [],
  );
}

/** The names that wait for validation, as progress shows them. */
function pendingNames(detail: CertificateDetail): string {
  const pending = (detail.DomainValidationOptions ?? []).filter((o) => o.ValidationStatus !== "SUCCESS");
  return pending.map((o) => o.DomainName ?? "").join(", ") || (detail.DomainName ?? "");
}

/** Writes the validation records, then waits for `ISSUED` (unless --no-wait); shared by create and update. */
async function validate(ctx: AwsContext, op: Operation, arn: string): Promise<Outputs> {
  const withRecords = await waitFor(
    op,
    `ACM to give the validation records of ${arn}`,
    UNTIL_RECORDS,
    async () => {
      const detail = await describeCertificate(ctx, arn);
      if (!detail) throw new Error(`certificate ${arn} no longer exists`);
      const records = validationRecords(detail);
      const every = (detail.DomainValidationOptions ?? []).length;
      return detail.Status !== "PENDING_VALIDATION" || (every > 0 && records.length === every)
        ? detail
        : undefined;
    },
  );
  // Also once issued (an emulator issues at once): ACM renews a certificate through the same records.
  await writeValidationRecords(ctx, op, arn, validationRecords(withRecords));
  if (op.noWait) {
    op.progress(`not waiting for ${arn} to be issued (--no-wait); a later apply finishes it`);
    return certificateOutputs(withRecords);
  }
  const issued = await waitFor(
    op,
    `certificate for ${withRecords.DomainName ?? ""} to be issued`,
    UNTIL_ISSUED,
    async () => {
      const detail = await describeCertificate(ctx, arn);
      const status = String(detail?.Status ?? "");
      if (!detail || DEAD_STATUSES.includes(status))
        throw new Error(
          `ACM did not issue ${arn}: ${status || "it is gone"}${detail?.FailureReason ? ` (${detail.FailureReason})` : ""}`,
        );
      if (status === "ISSUED") return detail;
      op.progress(`ACM is validating ${pendingNames(detail)} through DNS`);
      return undefined;
    },
  );
  return certificateOutputs(issued);
}

/**
 * RequestCertificate with a token derived from the address and the request: a re-run after an
 * interrupted apply gets the same certificate back (ACM keeps a token for an hour; the emulator
 * only when the tags are the same too, which they are: they are derived from the file).
 */
export async function createCertificate(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const desired = op.desired ?? {};
  const node = op.node!;
  const domain = String(desired.domain);
  const alternatives = stringList(desired.subjectAlternativeNames);
  const region = String(desired.region);
  const purpose = `request|${region}|${domain}|${alternatives.join(",")}|${op.observed?.id ?? ""}`;
  op.progress(`requesting a certificate for ${[domain, ...alternatives].join(", ")} in ${region}`);
  const made = await ctx.acm(region).send(
    new RequestCertificateCommand({
      DomainName: domain,
      ...(alternatives.length ? { SubjectAlternativeNames: [domain, ...alternatives] } : {}),
      ValidationMethod: "DNS",
      IdempotencyToken: ctx.token(node.address, purpose).replace(/\W/g, "").slice(0, 32),
      Tags: toAwsTags(creationTags(op.env, node, tagMap(desired.tags))),
    }),
  );
  if (!made.CertificateArn) throw new Error(`ACM returned no certificate for ${domain}`);
  return validate(ctx, op, made.CertificateArn);
}

/** Tags, then a validation left unfinished (an apply that stopped waiting, or was interrupted). */
export async function updateCertificate(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const arn = op.observed?.id ?? "";
  await syncTags(ctx, acmTagger, op);
  const status = maybeString(op.observed?.attributes.status);
  if (status === "PENDING_VALIDATION") return validate(ctx, op, arn);
  const detail = await describeCertificate(ctx, arn);
  if (!detail) throw new Error(`certificate ${arn} no longer exists`);
  return certificateOutputs(detail);
}

export const adoptCertificate = claimThenUpdate(acmTagger, updateCertificate);

/**
 * The validation records go first, then the certificate, once nothing uses it (a listener or a
 * distribution moving to another certificate lets go of it during the same apply): an interrupted
 * delete leaves at worst a certificate nobody validates, which the next plan still finds and deletes.
 */
export async function deleteCertificate(ctx: AwsContext, op: Operation): Promise<void> {
  const arn = op.observed?.id ?? op.change.id ?? "";
  await waitFor(op, `${arn} to be released by what uses it`, UNTIL_RELEASED, async () => {
    const detail = await describeCertificate(ctx, arn);
    const users = detail?.InUseBy ?? [];
    if (users.length > 0) op.progress(`${arn} is still used by ${users.join(", ")}`);
    return users.length === 0 ? true : undefined;
  });
  await deleteValidationRecords(ctx, op, recordsOf(op.observed?.details?.validationRecords));
  await deleteWhenReleased(
    op,
    {
      ...UNTIL_RELEASED,
      what: `${arn} to be deleted`,
      notFound: "ResourceNotFoundException",
      inUse: ["ResourceInUseException"],
    },
    () => ctx.acm(arnRegion(arn)).send(new DeleteCertificateCommand({ CertificateArn: arn })),
  );
}

/**
 * A new certificate first, since whatever uses the old one moves to it later in the same apply:
 * the old one is deleted when nothing uses it any more, or else left to the next plan, which
 * shows it as a duplicate to delete once it is free.
 */
export async function replaceCertificate(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const outputs = await createCertificate(ctx, op);
  const old = op.observed ? await describeCertificate(ctx, op.observed.id) : undefined;
  if (old && (old.InUseBy ?? []).length === 0) await deleteCertificate(ctx, op);
  else if (old) op.progress(`${op.observed?.id} is still in use: the next plan deletes it`);
  return outputs;
}
