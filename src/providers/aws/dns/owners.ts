import { TAG_ADDRESS, TAG_ENVIRONMENT } from "../common/ownership.js";
import type { TagMap } from "../common/ownership.js";
import { normaliseName, recordKey } from "./canonical.js";

/**
 * Records cannot be tagged, so ownership is a TXT record beside each managed record, the way
 * external-dns does it. Its fields are the ownership tags by other names: read back as tags,
 * they go through the same ownership rules as every other kind's.
 */

export const OWNER_TTL = 300;
const OWNER_PREFIX = "parity-";

/**
 * The ownership record's name, beside the record it vouches for (external-dns does the same).
 * A different name from the record itself, so it can sit next to a CNAME.
 */
export function ownerName(name: string, type: string): string {
  return `${OWNER_PREFIX}${type.toLowerCase()}.${normaliseName(name)}`;
}

/** The record an ownership TXT name vouches for: `parity-a.app.example.com` → app.example.com/A. */
export function ownedKey(txtName: string): string | undefined {
  const match = /^parity-([a-z0-9]+)\.(.+)$/.exec(normaliseName(txtName));
  return match?.[1] && match[2] ? recordKey(match[2], match[1]) : undefined;
}

export function ownerValue(environment: string, address: string): string {
  return `"heritage=parity,parity/environment=${environment},parity/address=${address}"`;
}

export type Owner = { environment: string; address: string };

export function parseOwner(value: string): Owner | undefined {
  const fields = new Map(
    value
      .replace(/^"|"$/g, "")
      .split(",")
      .map((pair): [string, string] => {
        const at = pair.indexOf("=");
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      }),
  );
  const environment = fields.get("parity/environment");
  const address = fields.get("parity/address");
  if (fields.get("heritage") !== "parity" || !environment || !address) return undefined;
  return { environment, address };
}

/** What an ownership record says, as the tags `ownershipOf` reads. */
export function ownerTags(owner: Owner | undefined): TagMap {
  return owner ? { [TAG_ENVIRONMENT]: owner.environment, [TAG_ADDRESS]: owner.address } : {};
}

/**
 * The hosted-zone tag that says this environment keeps records in the zone. Per environment
 * (with its project and region), as environments share zones.
 */
export function zoneMarkKey(env: { project?: string; environment: string; region: string }): string {
  return `parity:records:${[env.project, env.environment, env.region].filter(Boolean).join("/")}`;
}
