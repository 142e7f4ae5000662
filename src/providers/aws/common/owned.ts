import type { Operation, ResourceType } from "../../../engine/types.js";
import type { Attrs } from "../../../model/index.js";
import type { AwsContext } from "../context.js";
import { tagsOf } from "./adoption.js";
import { describeIdentity, ownershipTags } from "./ownership.js";
import type { TagMap } from "./ownership.js";

/**
 * Two facts every managed resource records in its tags and the plan compares like attributes:
 * whether it is protected, and whose it is. A change to either shows in the plan, and apply
 * writes it before any other change of that resource.
 */
export const PROTECT = "protect";
export const OWNERSHIP = "ownership";

/** What a legacy resource's ownership reads as: only the environment's name was recorded. */
export const LEGACY_OWNERSHIP = "environment name only";

/** The tagger for an operation's live resource (some APIs tag by an ARN the id does not give). */
export type TaggerFor<Ctx = AwsContext> = (
  op: Operation,
) => (ctx: Ctx, id: string, tags: TagMap, current: TagMap) => Promise<void>;

/**
 * Makes a resource type record protection and ownership the same way as every other: the plan
 * shows `protect` and `ownership` of each managed resource as attributes, and an update writes the
 * ownership tags first (`taggerFor`), so the protection the file asks for is on the resource before
 * anything else changes. Kinds whose every write carries ownership (DNS, whose ownership record
 * goes in the same batch as the record) pass no tagger.
 */
export function owned<Ctx = AwsContext>(
  type: ResourceType<Ctx>,
  taggerFor?: TaggerFor<Ctx>,
): ResourceType<Ctx> {
  return {
    ...type,
    // Whose a resource is, and whether it is protected, are never a difference between environments.
    attributeRoles: { ...type.attributeRoles, [PROTECT]: "directive", [OWNERSHIP]: "identity" },
    async observe(ctx, nodes, env) {
      const found = await type.observe(ctx, nodes, env);
      // In place: a kind may key facts it keeps aside by the node itself (appEnv's live secrets).
      for (const node of found) {
        if (!node.managed) continue;
        node.attributes = {
          ...node.attributes,
          [PROTECT]: node.protect === true,
          [OWNERSHIP]: node.legacy ? LEGACY_OWNERSHIP : describeIdentity(env),
        };
      }
      return found;
    },
    desired(node, resolver, observed) {
      const state = type.desired(node, resolver, observed);
      // Compared only against what this wrapper's observe recorded (a kind's own tests observe without it).
      if (!observed?.managed || !(OWNERSHIP in observed.attributes)) return state;
      const identity = describeIdentity(resolver.env);
      const notes = observed.legacy ? [...(state.notes ?? []), `re-tagged for ${identity}`] : state.notes;
      return {
        ...state,
        attributes: { ...state.attributes, [PROTECT]: node.protect, [OWNERSHIP]: identity },
        ...(notes ? { notes } : {}),
      };
    },
    async update(ctx, op) {
      const observed = op.observed;
      if (!observed) return type.update(ctx, withoutRecording(op));
      let tags = tagsOf(observed.attributes.tags);
      // A `moved` entry renamed it: its recorded address is rewritten like its protection.
      const moved = op.change.movedFrom !== undefined;
      if (taggerFor && (moved || recordingDiffers(op.desired, observed.attributes))) {
        const protect = op.desired?.[PROTECT] === true;
        const ownership = ownershipTags(op.env, op.change.address, protect, observed.protect === true);
        await taggerFor(op)(ctx, observed.id, ownership, tags);
        tags = { ...tags, ...ownership };
      }
      return type.update(ctx, withoutRecording(op, tags));
    },
    // The kind's own operations never see the two recorded attributes: they are not AWS's.
    create: (ctx, op) => type.create(ctx, withoutRecording(op)),
    delete: (ctx, op) => type.delete(ctx, withoutRecording(op)),
    ...(type.adopt ? { adopt: (ctx, op) => type.adopt!(ctx, withoutRecording(op)) } : {}),
    ...(type.replace ? { replace: (ctx, op) => type.replace!(ctx, withoutRecording(op)) } : {}),
  };
}

function recordingDiffers(desired: Attrs | undefined, observed: Attrs): boolean {
  return desired?.[PROTECT] !== observed[PROTECT] || desired?.[OWNERSHIP] !== observed[OWNERSHIP];
}

/** The operation as the kind knows it: its own attributes, and the tags the resource now carries. */
function withoutRecording(op: Operation, tags?: TagMap): Operation {
  const strip = (attrs: Attrs): Attrs => {
    const { [PROTECT]: _protect, [OWNERSHIP]: _ownership, ...rest } = attrs;
    return rest;
  };
  const observed = op.observed;
  const attributes = observed ? strip(observed.attributes) : undefined;
  if (attributes && tags && observed?.attributes.tags !== undefined) attributes.tags = tags;
  return {
    ...op,
    ...(op.desired ? { desired: strip(op.desired) } : {}),
    ...(observed && attributes ? { observed: { ...observed, attributes } } : {}),
  };
}
