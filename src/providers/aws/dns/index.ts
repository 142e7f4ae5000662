import { dnsExporter } from "./export.js";
import { recordNamesCovered } from "./wiring.js";
import type { Kind, ResourceType } from "../../../engine/types.js";
import type { Change, Risk } from "../../../model/index.js";
import { nodeSpec } from "../../../engine/schema.js";
import type { AwsContext } from "../context.js";
import { normaliseName, recordAddress } from "./canonical.js";
import { checkDns } from "./check.js";
import { desiredState } from "./desired.js";
import { lookupZones, observeRecords } from "./observe.js";
import { deleteRecord, upsertRecord } from "./operations.js";
import { DnsSchema, RecordSchema, TYPE, dnsSpec } from "./schema.js";
import { owned } from "../common/owned.js";

/**
 * Deleting a record takes its name off the internet; pointing an existing one elsewhere moves
 * the traffic it serves, the riskiest step of a cutover (and of its rollback).
 */
function recordRisks(change: Change): Risk[] {
  if (change.action === "delete") return ["downtime"];
  if (change.action !== "update" && change.action !== "adopt") return [];
  const moves = change.attributes.some((a) => /^(alias|values)(\.|$)/.test(a.path) && a.before !== undefined);
  return moves ? ["traffic-shift"] : [];
}

/** A record changes in place (an UPSERT); a new name or type is another record, at another address. */
export const recordType: ResourceType<AwsContext> = {
  type: TYPE,
  schema: RecordSchema,
  expectedSeconds: { create: 60, update: 60, delete: 60 },
  risks: recordRisks,
  lookup: lookupZones,
  desired: desiredState,
  observe: observeRecords,
  create: upsertRecord,
  update: upsertRecord,
  adopt: upsertRecord,
  delete: deleteRecord,
  exporter: dnsExporter,
};

export const dns: Kind<AwsContext> = {
  key: TYPE,
  shape: "single",
  schema: DnsSchema,
  outputs: [],
  expand(address, spec) {
    const { zone, records } = dnsSpec({ spec });
    return records.map((record, i) => ({
      address: recordAddress(record.name, record.type),
      type: TYPE,
      group: address,
      spec: nodeSpec({ zone: normaliseName(zone), record }),
      path: ["records", i],
    }));
  },
  types: [owned(recordType)],
  check: checkDns,
  wiring: [recordNamesCovered],
};
