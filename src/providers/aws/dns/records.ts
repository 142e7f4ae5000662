import { RRType } from "@aws-sdk/client-route-53";
import type { ResourceRecordSet } from "@aws-sdk/client-route-53";
import type { Attrs, ObservedNode, Value } from "../../../model/index.js";
import { isPlainObject, isUnknown } from "../../../model/index.js";
import { maybeString, objectOf, stringList } from "../common/readers.js";
import { enumMember, plainAttrs } from "../common/values.js";
import { DEFAULT_TTL, normaliseName, normaliseValues } from "./canonical.js";

/**
 * Route53's record sets: read into the canonical attributes `desired.ts` produces, written back
 * from them, and kept exactly in an observed node's details for the DELETE that must repeat them.
 */

/** Route53's record set → canonical attributes (aliases: moto reports TTL 0, which means nothing). */
export function canonicalFromRecordSet(set: ResourceRecordSet): Attrs {
  const base = { name: normaliseName(set.Name ?? ""), type: String(set.Type ?? "") };
  if (set.AliasTarget) {
    return {
      ...base,
      alias: {
        dnsName: normaliseName(set.AliasTarget.DNSName ?? ""),
        hostedZoneId: set.AliasTarget.HostedZoneId ?? "",
        evaluateTargetHealth: set.AliasTarget.EvaluateTargetHealth ?? false,
      },
    };
  }
  return {
    ...base,
    values: normaliseValues(
      base.type,
      (set.ResourceRecords ?? []).map((r) => r.Value ?? ""),
    ),
    ttl: set.TTL ?? 0,
  };
}

function recordType(value: Value | undefined): RRType {
  const type = enumMember(RRType, value);
  if (type === undefined) throw new Error(`Route53 has no record type "${String(value)}"`);
  return type;
}

/** Canonical attributes → the record set to UPSERT under `name` (the live spelling, when it exists). */
export function toRecordSet(attributes: Attrs, name: string): ResourceRecordSet {
  const type = recordType(attributes.type);
  if (isPlainObject(attributes.alias)) {
    const alias = attributes.alias;
    if (isUnknown(alias.dnsName) || isUnknown(alias.hostedZoneId))
      throw new Error("alias target is not known yet");
    return {
      Name: name,
      Type: type,
      AliasTarget: {
        DNSName: String(alias.dnsName),
        HostedZoneId: String(alias.hostedZoneId),
        EvaluateTargetHealth: alias.evaluateTargetHealth === true,
      },
    };
  }
  return {
    Name: name,
    Type: type,
    TTL: Number(attributes.ttl ?? DEFAULT_TTL),
    ResourceRecords: stringList(attributes.values).map((Value) => ({ Value })),
  };
}

/** A listed record set as it must be sent back in a DELETE: an alias carries no TTL. */
export function exactRecordSet(set: ResourceRecordSet): ResourceRecordSet {
  const { TTL, ResourceRecords, ...rest } = set;
  if (set.AliasTarget) return rest;
  return { ...rest, TTL, ResourceRecords };
}

/**
 * A record set as plain details. Parity manages plain records only (a set with a routing policy
 * is never observed), so these are all the fields a DELETE of one has to repeat.
 */
function recordSetValue(set: ResourceRecordSet): Attrs {
  const alias = set.AliasTarget;
  return plainAttrs({
    Name: set.Name,
    Type: set.Type,
    TTL: set.TTL,
    ResourceRecords: set.ResourceRecords?.map((r) => plainAttrs({ Value: r.Value })),
    AliasTarget: alias
      ? {
          HostedZoneId: alias.HostedZoneId,
          DNSName: alias.DNSName,
          EvaluateTargetHealth: alias.EvaluateTargetHealth,
        }
      : undefined,
    HealthCheckId: set.HealthCheckId,
  });
}

/** The inverse of `recordSetValue`. */
function recordSetOf(value: Value | undefined): ResourceRecordSet | undefined {
  if (!isPlainObject(value)) return undefined;
  const alias = isPlainObject(value.AliasTarget) ? value.AliasTarget : undefined;
  const healthCheck = maybeString(value.HealthCheckId);
  return {
    Name: maybeString(value.Name),
    Type: enumMember(RRType, value.Type),
    ...(typeof value.TTL === "number" ? { TTL: value.TTL } : {}),
    ...(Array.isArray(value.ResourceRecords)
      ? { ResourceRecords: value.ResourceRecords.map((r) => ({ Value: maybeString(objectOf(r).Value) })) }
      : {}),
    ...(alias
      ? {
          AliasTarget: {
            HostedZoneId: maybeString(alias.HostedZoneId),
            DNSName: maybeString(alias.DNSName),
            EvaluateTargetHealth: alias.EvaluateTargetHealth === true,
          },
        }
      : {}),
    ...(healthCheck !== undefined ? { HealthCheckId: healthCheck } : {}),
  };
}

/** What apply needs of an observed record: its zone, the record set, and its ownership record. */
export type RecordDetails = {
  zoneId: string;
  record: ResourceRecordSet | undefined;
  owner: ResourceRecordSet | undefined;
};

export function detailsValue(d: RecordDetails): { [key: string]: Value } {
  return {
    zoneId: d.zoneId,
    record: d.record ? recordSetValue(d.record) : null,
    owner: d.owner ? recordSetValue(d.owner) : null,
  };
}

export function recordDetails(observed: ObservedNode | undefined): RecordDetails | undefined {
  const details = observed?.details;
  if (!details) return undefined;
  return {
    zoneId: String(details.zoneId ?? ""),
    record: recordSetOf(details.record),
    owner: recordSetOf(details.owner),
  };
}
