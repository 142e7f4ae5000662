import type { Resolver } from "../../../engine/types.js";
import type { ObservedNode, Value } from "../../../model/index.js";
import { isPlainObject, unknown } from "../../../model/index.js";
import { imageAddress } from "./members.js";
import { fromInstanceOf, namePatternOf } from "./schema.js";
import type { MemberSpec } from "./schema.js";

export type ImageChoice = { value: Value; error?: { message: string; hint?: string } };

/** An AMI a name pattern resolved to, as `lookup` stores it in the facts. */
export type FoundImage = { id: string; name: string; created: string };

/**
 * The image a member is compared against. An adopted instance (listed in `adopt`, or recorded as
 * adopted with a tag) runs whatever AMI it was launched from and is never replaced for it, in
 * every form: the image says what new members launch from, so members launched by hand from
 * different AMIs are expressed by adopting them. Otherwise, per form of `image`:
 * - an AMI id: the member must run exactly that AMI (changing it replaces the member).
 * - `{ fromInstance: X }`: members parity launches must run the AMI made of X. The source instance
 *   itself, and every instance parity adopted (recorded with a tag at adoption, so dropping the id
 *   from `adopt` later changes nothing), already *are* what the image copies: they satisfy it
 *   whatever AMI they were launched from, and are never replaced for it.
 * - `{ name: pattern }`: a member launched from any AMI whose name matches is in place; only new
 *   members take the newest match. A newly published AMI therefore replaces nothing by itself.
 */
export function desiredImage(
  spec: MemberSpec,
  group: string,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): ImageChoice {
  const image = spec.image;
  const running = observed?.attributes.image;
  if (observed?.details?.adopted === true && typeof running === "string") return { value: running };
  if (typeof image === "string") return { value: image };
  const source = fromInstanceOf(image);
  if (source) {
    if (
      observed &&
      typeof running === "string" &&
      (observed.id === source || observed.details?.adopted === true)
    ) {
      return { value: running };
    }
    return { value: resolver.output(imageAddress(group), "id") };
  }
  const runningName = observed?.details?.imageName;
  const pattern = namePatternOf(image);
  if (
    pattern &&
    typeof running === "string" &&
    typeof runningName === "string" &&
    matchesNamePattern(pattern.name, runningName)
  ) {
    return { value: running };
  }
  return newestMatch(spec, resolver);
}

/** The AMI a new member is launched from (always the current choice, never the one a replaced member ran). */
export function launchImage(spec: MemberSpec, group: string, resolver: Resolver): ImageChoice {
  const image = spec.image;
  if (typeof image === "string") return { value: image };
  if (fromInstanceOf(image)) return { value: resolver.output(imageAddress(group), "id") };
  return newestMatch(spec, resolver);
}

function newestMatch(spec: MemberSpec, resolver: Resolver): ImageChoice {
  const pattern = namePatternOf(spec.image);
  if (!pattern) throw new Error("newestMatch needs an image name pattern");
  const found = foundImageOf(resolver.facts[imageFactKey(pattern)]);
  if (found) return { value: found.id };
  return {
    value: unknown(`newest AMI named ${pattern.name}`),
    error: {
      message: `no available AMI named ${pattern.name} owned by ${pattern.owners.join(" or ")} in ${resolver.env.region}`,
      hint: "check the pattern (* and ? are wildcards) or set image.owners",
    },
  };
}

/** AMI name patterns use `*` and `?` the way DescribeImages' `name` filter does. */
export function matchesNamePattern(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(name);
}

/** The newest image; names break ties (AMI names carry their build date). */
export function newestImage(images: FoundImage[]): FoundImage | undefined {
  return [...images].sort((a, b) => b.created.localeCompare(a.created) || b.name.localeCompare(a.name))[0];
}

/** Where `lookup` keeps a pattern's newest AMI among the facts (null: nothing matched). */
export function imageFactKey(pattern: { name: string; owners: string[] }): string {
  return `instances.image|${pattern.owners.join(",")}|${pattern.name}`;
}

/** The newest AMI back from the facts, or undefined when nothing matched. */
function foundImageOf(value: Value | undefined): FoundImage | undefined {
  if (!isPlainObject(value) || typeof value.id !== "string") return undefined;
  return { id: value.id, name: String(value.name ?? ""), created: String(value.created ?? "") };
}
