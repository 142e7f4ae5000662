import type { DesiredState, EnvironmentInfo, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode } from "../../../model/index.js";
import { isPlainObject } from "../../../model/index.js";
import { userTags } from "../common/ownership.js";
import { certificateSpec } from "./schema.js";
import type { CertificateSpec } from "./schema.js";

/** Facts key: the hosted zone each certificate's names are validated in, by name (null: none found). */
export const VALIDATION_ZONES = "certificateZones";

/** Statuses a certificate never leaves: only a new request gives a usable one. */
export const DEAD_STATUSES = ["FAILED", "VALIDATION_TIMED_OUT", "EXPIRED", "REVOKED", "INACTIVE"];

/** ACM compares names without case and without a trailing dot. */
export function normaliseDomain(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** The names besides the domain, as a set: ACM lists the domain among them, the file need not. */
export function alternativeNames(domain: string, names: string[]): string[] {
  const main = normaliseDomain(domain);
  return [...new Set(names.map(normaliseDomain))].filter((n) => n !== main).sort();
}

export function regionOf(
  spec: Pick<CertificateSpec, "region">,
  env: Pick<EnvironmentInfo, "region">,
): string {
  return spec.region ?? env.region;
}

/** Every name a certificate covers: the domain first. */
export function namesOf(spec: CertificateSpec): string[] {
  return [normaliseDomain(spec.domain), ...alternativeNames(spec.domain, spec.subjectAlternativeNames ?? [])];
}

/** How discovery recognises a certificate the file asks for: region, domain and the other names. */
export function certificateIdentity(region: string, domain: string, alternatives: string[]): string {
  return [region, normaliseDomain(domain), ...alternativeNames(domain, alternatives)].join("|");
}

export function nodeIdentity(node: DesiredNode, env: Pick<EnvironmentInfo, "region">): string {
  const s = certificateSpec(node);
  return certificateIdentity(regionOf(s, env), s.domain, s.subjectAlternativeNames ?? []);
}

/** The zone a validation record of `name` goes in: the longest hosted zone name it ends with. */
export function zoneFor(name: string, zones: string[]): string | undefined {
  const host = normaliseDomain(name).replace(/^\*\./, "");
  return zones.filter((z) => host === z || host.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
}

/** The names of a certificate without a hosted zone to validate them in, from discovery's facts. */
function namesWithoutZone(spec: CertificateSpec, resolver: Resolver): string[] {
  const facts = resolver.facts[VALIDATION_ZONES];
  const zones = isPlainObject(facts) ? facts : {};
  const found = Object.keys(zones).filter((z) => typeof zones[z] === "string");
  return namesOf(spec).filter((n) => zoneFor(n, found) === undefined);
}

/**
 * The certificate the file asks for: issued, for exactly these names, in its region. A pending
 * one (an apply that stopped waiting) shows as an update that finishes its validation; one ACM
 * gave up on (failed, expired, revoked) must be requested again, which `usable` forces.
 */
export function desiredCertificate(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const s = certificateSpec(node);
  const attributes: Attrs = {
    domain: normaliseDomain(s.domain),
    subjectAlternativeNames: alternativeNames(s.domain, s.subjectAlternativeNames ?? []),
    region: regionOf(s, resolver.env),
    status: "ISSUED",
    usable: true,
    tags: userTags(resolver.env, s.tags),
  };
  const missing = observed?.attributes.status === "ISSUED" ? [] : namesWithoutZone(s, resolver);
  const errors = missing.map((name) => ({
    message: `no Route53 hosted zone holds ${name}, so its validation record has nowhere to go`,
    hint: `create the hosted zone for ${name} (or its parent domain) in Route53, or request and validate the certificate by hand: parity adopts it by domain`,
  }));
  return { attributes, ...(errors.length ? { errors } : {}) };
}
