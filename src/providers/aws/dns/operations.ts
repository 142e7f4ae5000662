import type { Change as RecordChange, ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { Operation, Outputs } from "../../../engine/types.js";
import type { AwsContext } from "../context.js";
import { isAwsError } from "../errors.js";
import { zoneIdFromFacts } from "./desired.js";
import { OWNER_TTL, ownerName, ownerValue, zoneMarkKey } from "./owners.js";
import { exactRecordSet, recordDetails, toRecordSet } from "./records.js";
import { recordNodeSpec } from "./schema.js";
import { changeRecords, markZone, recordExists } from "./zone.js";

function zoneIdOf(op: Operation): string {
  const fromObserved = recordDetails(op.observed)?.zoneId;
  if (fromObserved) return fromObserved;
  const zone = op.node ? recordNodeSpec(op.node).zone : "";
  const id = zoneIdFromFacts(op.facts, zone);
  if (!id) throw new Error(`hosted zone ${zone} not found`);
  return id;
}

/**
 * UPSERT the record and its ownership TXT in one atomic batch: create, update and adopt alike.
 * Ownership is never written apart from the record (AWS differs from tagging here), so an
 * adopt is this same call rather than `claimThenUpdate`: the batch claims and converges at once.
 */
export async function upsertRecord(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const desired = op.desired ?? {};
  const found = recordDetails(op.observed);
  // Keep the live spelling of an existing name: Route53 is case-insensitive, emulators are not.
  const name = found?.record?.Name ?? String(desired.name);
  const owner: ResourceRecordSet = {
    Name: found?.owner?.Name ?? ownerName(String(desired.name), String(desired.type)),
    Type: "TXT",
    TTL: OWNER_TTL,
    ResourceRecords: [{ Value: ownerValue(op.env, op.change.address, op.node?.protect === true) }],
  };
  const zoneId = zoneIdOf(op);
  // Marked first, so a record whose zone the file later drops is still found and deleted.
  await markZone(ctx, zoneId, zoneMarkKey(op.env));
  await changeRecords(
    ctx,
    zoneId,
    [
      { Action: "UPSERT", ResourceRecordSet: toRecordSet(desired, name) },
      { Action: "UPSERT", ResourceRecordSet: owner },
    ],
    `parity ${op.env.environment}: ${op.change.action} ${op.change.address}`,
    op,
  );
  return { name: String(desired.name), type: String(desired.type) };
}

/** DELETE needs the exact current record set (from observation) plus its ownership TXT. */
export async function deleteRecord(ctx: AwsContext, op: Operation): Promise<void> {
  const found = recordDetails(op.observed);
  if (!found) return;
  const sets = [found.record, found.owner]
    .filter((s): s is ResourceRecordSet => s !== undefined)
    .map(exactRecordSet);
  const batch = (list: ResourceRecordSet[]): RecordChange[] =>
    list.map((s) => ({ Action: "DELETE", ResourceRecordSet: s }));
  const comment = `parity ${op.env.environment}: delete ${op.change.address}`;
  try {
    await changeRecords(ctx, found.zoneId, batch(sets), comment, op);
  } catch (error) {
    // Already (partly) gone after an interrupted run: delete whatever is left.
    if (!isAwsError(error, "InvalidChangeBatch", "InvalidInput")) throw error;
    const left: ResourceRecordSet[] = [];
    for (const s of sets) if (await recordExists(ctx, found.zoneId, s)) left.push(s);
    if (left.length === sets.length) throw error;
    if (left.length > 0) await changeRecords(ctx, found.zoneId, batch(left), comment, op);
  }
}
