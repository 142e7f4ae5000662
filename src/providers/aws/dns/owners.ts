import type { EnvironmentInfo } from "../../../engine/types.js";
import { TAG_ADDRESS, TAG_ENVIRONMENT, TAG_PROJECT, TAG_PROTECT, TAG_REGION } from "../common/ownership.js";
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

/**
 * The ownership record's text: the same parts as the tags of every other kind (environment,
 * project, region, address, protection), as `key=value` pairs; records are global, so the
 * region matters as much as for a distribution.
 */
export function ownerValue(env: EnvironmentInfo, address: string, protect: boolean): string {
  const fields = [
    "heritage=parity",
    `parity/environment=${env.environment}`,
    ...(env.project !== undefined ? [`parity/project=${env.project}`] : []),
    `parity/region=${env.region}`,
    `parity/address=${address}`,
    ...(protect ? ["parity/protect=true"] : []),
  ];
  return `"${fields.join(",")}"`;
}

export type Owner = {
  environment: string;
  address: string;
  project?: string;
  region?: string;
  protect?: boolean;
};

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
  const project = fields.get("parity/project");
  const region = fields.get("parity/region");
  return {
    environment,
    address,
    ...(project !== undefined ? { project } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(fields.get("parity/protect") === "true" ? { protect: true } : {}),
  };
}

/** What an ownership record says, as the tags `ownershipOf` reads. */
export function ownerTags(owner: Owner | undefined): TagMap {
  if (!owner) return {};
  return {
    [TAG_ENVIRONMENT]: owner.environment,
    [TAG_ADDRESS]: owner.address,
    ...(owner.project !== undefined ? { [TAG_PROJECT]: owner.project } : {}),
    ...(owner.region !== undefined ? { [TAG_REGION]: owner.region } : {}),
    ...(owner.protect ? { [TAG_PROTECT]: "true" } : {}),
  };
}

/**
 * The hosted-zone tag that says this environment keeps records in the zone. Per environment
 * (with its project and region), as environments share zones.
 */
export function zoneMarkKey(env: { project?: string; environment: string; region: string }): string {
  return `parity:records:${[env.project, env.environment, env.region].filter(Boolean).join("/")}`;
}
