import type { DesiredState, KindProblem, Resolver } from "../../../engine/types.js";
import type { Attrs, DesiredNode, ObservedNode, Value } from "../../../model/index.js";
import { userTags } from "../common/ownership.js";
import { planCopy } from "./copy.js";
import { bucketNameProblem, bucketSpec } from "./schema.js";

/** The bucket the file asks for; `contents` is set only when this plan copies objects into it. */
export function desiredBucket(
  node: DesiredNode,
  resolver: Resolver,
  observed: ObservedNode | undefined,
): DesiredState {
  const spec = bucketSpec(node);
  const region = resolver.env.region;
  const errors: { message: string; hint?: string }[] = [];
  if (observed && observed.attributes.region !== region) {
    errors.push({
      message: `bucket ${spec.name} exists in ${String(observed.attributes.region)}, not in this environment's region ${region}`,
      hint: "bucket names are global: choose another name",
    });
  }
  const attributes: Attrs = { name: spec.name, region, tags: userTags(resolver.env, spec.tags) };
  // No website and no error document are defaults too: one configured by hand shows as drift.
  attributes.website = spec.website
    ? { indexDocument: spec.website.indexDocument, errorDocument: spec.website.errorDocument ?? null }
    : null;
  const copy = planCopy(spec, resolver);
  if (copy.contents) attributes.contents = copy.contents;
  errors.push(...(copy.errors ?? []));
  return { attributes, ...(copy.notes ? { notes: copy.notes } : {}), ...(errors.length ? { errors } : {}) };
}

/** What the schema cannot say about an entry. */
export function checkBucket(_address: string, spec: { [key: string]: Value }): KindProblem[] {
  const s = bucketSpec({ spec });
  const badName = bucketNameProblem(s.name);
  return [
    ...(badName ? [{ path: ["name"], message: badName }] : []),
    ...(s.copyFrom === s.name ? [{ path: ["copyFrom"], message: "a bucket cannot copy from itself" }] : []),
    ...(s.sync !== undefined && !s.copyFrom
      ? [
          {
            path: ["sync"],
            message: "sync needs copyFrom: it says what to do with objects the source does not have",
          },
        ]
      : []),
  ];
}
