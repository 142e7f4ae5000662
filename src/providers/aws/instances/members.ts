import { instanceTypeProblem } from "../common/instanceTypes.js";
import { nodeSpec } from "../../../engine/schema.js";
import type { Kind, KindProblem } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { IMAGE_TYPE } from "./images/schema.js";
import { TYPE, adoptImageOf, fromInstanceOf, instanceSpec } from "./schema.js";

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
 * plan shows it being made and members launch only once it exists. The AMI is only for members
 * parity launches: when `adopt` names every member, there is none, and nothing is imaged (nor
 * rebooted to image it).
 */
export const expandInstances: Kind<unknown>["expand"] = (address, spec) => {
  const s = instanceSpec({ spec });
  const count = s.count ?? 1;
  const image = s.image;
  const launches = count > (s.adopt ?? []).length;
  const source = launches ? fromInstanceOf(image) : undefined;
  const nodes: ReturnType<Kind<unknown>["expand"]> = [];
  if (source) {
    const noReboot = typeof image === "object" && "noReboot" in image && image.noReboot === true;
    const adoptImage = adoptImageOf(image);
    nodes.push({
      address: imageAddress(address),
      type: IMAGE_TYPE,
      group: imageAddress(address),
      // No member address in this spec: any `kind.name` string would read as a reference (a cycle).
      spec: nodeSpec({ fromInstance: source, noReboot, ...(adoptImage ? { adoptImage } : {}) }),
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
};

/** What the schema cannot say: adopted instances must fit in `count`, once each. */
export function checkInstances(spec: { [key: string]: Value }): KindProblem[] {
  const s = instanceSpec({ spec });
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
  const image = s.image;
  if (typeof image === "object" && "adoptImage" in image && !("fromInstance" in image)) {
    problems.push({
      path: ["image", "adoptImage"],
      message: "adoptImage names an AMI made of image.fromInstance",
      hint: "set fromInstance too, or use { name: … } to launch from an AMI by name",
    });
  }
  adopt.forEach((id, i) => {
    if (adopt.indexOf(id) !== i) problems.push({ path: ["adopt", i], message: `${id} is listed twice` });
  });
  const badType = instanceTypeProblem(s.type);
  if (badType) problems.push({ path: ["type"], ...badType });
  return problems;
}
