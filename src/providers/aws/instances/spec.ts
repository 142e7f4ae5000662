import type { KindProblem } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";

export const TYPE = "instances";
export const IMAGE_TYPE = "instanceImages";

export type ImageSpec =
  string | { fromInstance: string; noReboot?: boolean } | { name: string; owners?: string[] };

/** One `instances:` entry as the file writes it. */
export type InstanceSpec = {
  count?: number;
  type: string;
  image: ImageSpec;
  keyName?: string;
  securityGroups?: string[];
  subnets?: string[];
  tags?: Record<string, string>;
  adopt?: string[];
  snapshotBeforeChange?: boolean;
  protect?: boolean;
};

/** A member node's spec: the entry plus which member it is. */
export type MemberSpec = InstanceSpec & { index: number };

export function memberSpec(value: { [key: string]: Value }): MemberSpec {
  return value as unknown as MemberSpec;
}

export function fromInstanceOf(image: ImageSpec): string | undefined {
  return typeof image === "object" && "fromInstance" in image ? image.fromInstance : undefined;
}

export function namePatternOf(image: ImageSpec): { name: string; owners: string[] } | undefined {
  if (typeof image !== "object" || !("name" in image)) return undefined;
  // Never search every public AMI by name: anyone can publish one called "amzn2-ami-hvm-…".
  return { name: image.name, owners: [...(image.owners ?? ["self", "amazon"])].sort() };
}

/** The address of the AMI a `fromInstance` entry makes: `instances.web.image`. */
export function imageAddress(group: string): string {
  return `${group}.image`;
}

/** The members' group of an image node: `instances.web.image` → `instances.web`. */
export function membersOf(imageNodeAddress: string): string {
  return imageNodeAddress.replace(/\.image$/, "");
}

export function memberAddress(group: string, index: number): string {
  return `${group}[${index}]`;
}

/**
 * One node per member (`instances.web[0]`, `[1]`…), all in the group `instances.web`, plus,
 * for `image: { fromInstance }`, the AMI as its own node that every member depends on, so the
 * plan shows it being made and members launch only once it exists.
 */
export function expandInstances(
  address: string,
  spec: { [key: string]: Value },
): { address: string; type: string; group: string; spec: { [key: string]: Value }; dependsOn?: string[] }[] {
  const s = spec as unknown as InstanceSpec;
  const count = s.count ?? 1;
  const source = fromInstanceOf(s.image);
  const nodes: ReturnType<typeof expandInstances> = [];
  if (source && count > 0) {
    const noReboot = typeof s.image === "object" && "noReboot" in s.image && s.image.noReboot === true;
    nodes.push({
      address: imageAddress(address),
      type: IMAGE_TYPE,
      group: imageAddress(address),
      // No member address in this spec: any `kind.name` string would read as a reference (a cycle).
      spec: { fromInstance: source, noReboot },
    });
  }
  for (let index = 0; index < count; index++) {
    nodes.push({
      address: memberAddress(address, index),
      type: TYPE,
      group: address,
      spec: { ...spec, index },
      ...(source ? { dependsOn: [imageAddress(address)] } : {}),
    });
  }
  return nodes;
}

/** What the schema cannot say: adopted instances must fit in `count`, once each. */
export function checkInstances(spec: { [key: string]: Value }): KindProblem[] {
  const s = spec as unknown as InstanceSpec;
  const problems: KindProblem[] = [];
  const adopt = s.adopt ?? [];
  const count = s.count ?? 1;
  if (adopt.length > count) {
    problems.push({
      path: ["adopt"],
      message: `adopt lists ${adopt.length} instances but count is ${count}`,
      hint: `raise count to at least ${adopt.length}`,
    });
  }
  adopt.forEach((id, i) => {
    if (adopt.indexOf(id) !== i) problems.push({ path: ["adopt", i], message: `${id} is listed twice` });
  });
  return problems;
}

/**
 * Where a member lives. Listed `subnets` are a placement set: an existing member in any of them
 * is in place (reordering the list replaces nothing), a member elsewhere is moved, and new members
 * are spread round-robin by index. Without `subnets` the spread over the environment's subnets is a
 * default, not a wish: existing members are not compared (undefined), only new ones are placed.
 */
export function desiredSubnet(
  explicit: string[] | undefined,
  environmentSubnets: string[],
  index: number,
  observedSubnet: string | undefined,
): string | undefined {
  if (explicit && explicit.length > 0) {
    if (observedSubnet && explicit.includes(observedSubnet)) return observedSubnet;
    return explicit[index % explicit.length];
  }
  if (observedSubnet !== undefined) return undefined;
  return launchSubnet(undefined, environmentSubnets, index);
}

/** The subnet a new member is launched in: round-robin over the file's subnets or the environment's. */
export function launchSubnet(
  explicit: string[] | undefined,
  environmentSubnets: string[],
  index: number,
): string {
  const list = explicit && explicit.length > 0 ? explicit : environmentSubnets;
  const subnet = list[index % list.length];
  if (!subnet) throw new Error("the environment has no subnets to launch instances in");
  return subnet;
}

/** AWS treats security groups as a set; ids sort, Unknowns (groups still to create) go last. */
export function sortGroupIds(ids: Value[]): Value[] {
  const key = (v: Value) => (typeof v === "string" ? `0${v}` : `1${JSON.stringify(v)}`);
  return [...ids].sort((a, b) => key(a).localeCompare(key(b)));
}

/** AMI name patterns use `*` and `?` the way DescribeImages' `name` filter does. */
export function matchesNamePattern(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(name);
}

export type FoundImage = { id: string; name: string; created: string };

/** The newest image; names break ties (AMI names carry their build date). */
export function newestImage(images: FoundImage[]): FoundImage | undefined {
  return [...images].sort((a, b) => b.created.localeCompare(a.created) || b.name.localeCompare(a.name))[0];
}

export function imageFactKey(pattern: { name: string; owners: string[] }): string {
  return `instances.image|${pattern.owners.join(",")}|${pattern.name}`;
}

/**
 * What makes two RunInstances calls "the same launch" for the idempotency token. The request
 * (minus the token) is part of it because AWS keeps a token for at least a day after the instance
 * it made is terminated: re-using one token for a replacement with other parameters fails with
 * IdempotentParameterMismatch, and with the same parameters returns the dead instance (create()
 * then moves on to a token salted with that instance's id).
 */
export function launchPurpose(
  request: { [key: string]: Value },
  replacing: string | undefined,
  salt = "",
): string {
  const canonical = (value: Value): Value => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, canonical(value[k] as Value)]),
      );
    }
    return value;
  };
  return `run-instances|${JSON.stringify(canonical(request))}|${replacing ?? ""}|${salt}`;
}
