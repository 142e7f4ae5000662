import type { DesiredState, EnvironmentInfo, Resolver } from "../../../../engine/types.js";
import type { DesiredNode, ObservedNode } from "../../../../model/index.js";
import { userTags } from "../../common/ownership.js";
import { isPlainObject } from "../../../../model/index.js";
import { SOURCE_FACTS } from "./facts.js";
import { imageSpec } from "./schema.js";

/** The AMI of the source instance; making it is the only moment imaging (and its reboot) happens. */
export function desiredInstanceImage(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const s = imageSpec(node);
  // Imaging happens only on create or replace, i.e. when no AMI of this source exists yet.
  const imaging = !observed || observed.attributes.fromInstance !== s.fromInstance;
  const note = s.noReboot
    ? `images ${s.fromInstance} without rebooting it (file systems are not guaranteed consistent)`
    : `reboots ${s.fromInstance} so the image is consistent (set image.noReboot to avoid)`;
  const sources = resolver.facts[SOURCE_FACTS];
  const missing = isPlainObject(sources) && sources[s.fromInstance] === false;
  return {
    attributes: { fromInstance: s.fromInstance, tags: userTags(resolver.env) },
    ...(imaging ? { notes: [note] } : {}),
    ...(missing
      ? {
          errors: [
            {
              message: `image.fromInstance ${s.fromInstance} was not found pending, running or stopped in ${resolver.env.region}`,
              hint: "name an instance that exists, or use an AMI id or { name: pattern }",
            },
          ],
        }
      : {}),
  };
}

/**
 * AMI names are unique per account and region, allow only some characters, and are 3–128 long.
 * The project is part of it, so two projects' environments of one name never ask for the same.
 */
export function amiName(env: EnvironmentInfo, members: string, source: string): string {
  const owner = env.project !== undefined ? `${env.project}-${env.environment}` : env.environment;
  return `${owner}-${members}-from-${source}`.replace(/[^A-Za-z0-9()[\]./\-'@_ ]/g, "-").slice(0, 128);
}
