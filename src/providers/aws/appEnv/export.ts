import { GetParametersCommand, paginateDescribeParameters } from "@aws-sdk/client-ssm";
import type { ParameterMetadata } from "@aws-sdk/client-ssm";
import pLimit from "p-limit";
import type { ExportItem, ExportedEntry, Exporter } from "../../../engine/types.js";
import type { Value } from "../../../model/index.js";
import { itemOf } from "../common/exporting.js";
import type { AwsContext } from "../context.js";
import { listTags } from "./tagging.js";

/** GetParameters takes at most ten names. */
const VALUE_BATCH = 10;
const TAG_READS_IN_PARALLEL = 4;

/** parity's own records (locks) and AWS's public parameters are nobody's app settings. */
function isAppSetting(name: string): boolean {
  return !name.startsWith("/parity/") && !name.startsWith("/aws/") && name.lastIndexOf("/") > 0;
}

/** `DATABASE_URL` of staging → `STAGING_DATABASE_URL`: the variable the secret is read from. */
export function secretVariable(environment: string, key: string): string {
  const prefix = environment.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  return `${prefix}_${key}`.replace(/^([0-9])/, "_$1");
}

/**
 * The region's parameters, one item each. Values are read for plain parameters only: a
 * SecureString's value is never requested, so it can be in no output.
 */
export const parameterExporter: Exporter<AwsContext> = {
  async list(ctx, env) {
    const found: ParameterMetadata[] = [];
    for await (const page of paginateDescribeParameters({ client: ctx.ssm, pageSize: 50 }, {}))
      found.push(...(page.Parameters ?? []).filter((p) => p.Name && isAppSetting(p.Name)));
    const plain = found.filter((p) => p.Type !== "SecureString").map((p) => p.Name ?? "");
    const values = new Map<string, string>();
    for (let i = 0; i < plain.length; i += VALUE_BATCH) {
      const answer = await ctx.ssm.send(new GetParametersCommand({ Names: plain.slice(i, i + VALUE_BATCH) }));
      for (const p of answer.Parameters ?? []) if (p.Name) values.set(p.Name, p.Value ?? "");
    }
    const limit = pLimit(TAG_READS_IN_PARALLEL);
    return Promise.all(
      found.map((p) =>
        limit(async (): Promise<ExportItem> => {
          const name = p.Name ?? "";
          const type = p.Type ?? "String";
          const value: Value = type === "SecureString" ? { $sensitive: true } : (values.get(name) ?? "");
          const node = { id: name, attributes: { name, type, value }, outputs: { name } };
          return itemOf(node, name, await listTags(ctx, name), env);
        }),
      ),
    );
  },
  entry([item], { refs, env }): ExportedEntry {
    const name = item!.name;
    const at = name.lastIndexOf("/");
    const path = name.slice(0, at + 1);
    const key = name.slice(at + 1);
    const type = item!.attributes.type;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      return {
        spec: {},
        omitted: [`parameter ${name}: "${key}" is not an environment variable name`],
        drop: true,
      };
    if (type === "SecureString") {
      const variable = secretVariable(env.environment, key);
      return { spec: { path, values: { [key]: { secret: true, fromEnv: variable } } }, secrets: [variable] };
    }
    if (type === "StringList")
      return {
        spec: {},
        omitted: [`parameter ${name} is a StringList (appEnv writes String values)`],
        drop: true,
      };
    return { spec: { path, values: { [key]: refs.interpolate(String(item!.attributes.value ?? "")) } } };
  },
};
