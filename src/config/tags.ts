import type { Diagnostic, SourceLocation, Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import { formatPath, locate } from "./yaml.js";
import type { Path } from "./yaml.js";

/**
 * The tag rules every service parity tags shares (EC2, ELBv2, S3, RDS, CloudFront, SSM): the
 * strictest of them, since the file's tags go on every resource. Source: "Tag naming limits and
 * requirements" in the AWS tagging guide.
 */
const MAX_KEY = 128;
const MAX_VALUE = 256;
const CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** `aws:` is AWS's; `parity:` is where parity records ownership: a user value there would forge it. */
const RESERVED = [
  { prefix: "aws:", why: "AWS reserves it" },
  { prefix: "parity:", why: "parity writes its own parity: tags to record ownership" },
];

/** Every `tags:` map in the document: the environment's and each entry's. */
function tagMaps(document: { [key: string]: Value }, entries: Path[]): [Path, { [key: string]: Value }][] {
  const out: [Path, { [key: string]: Value }][] = [];
  if (isPlainObject(document.tags)) out.push([["tags"], document.tags]);
  for (const path of entries) {
    let value: Value | undefined = document;
    for (const part of path) value = isPlainObject(value) ? value[part as string] : undefined;
    if (isPlainObject(value) && isPlainObject(value.tags)) out.push([[...path, "tags"], value.tags]);
  }
  return out;
}

export function checkTags(
  document: { [key: string]: Value },
  locations: Map<string, SourceLocation>,
  entries: Path[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: Path, onKey: boolean, message: string, hint?: string) => {
    const location = locate(locations, path, onKey);
    out.push({
      severity: "error",
      ...(location ? { location } : {}),
      path: formatPath(path),
      message,
      ...(hint ? { hint } : {}),
    });
  };
  for (const [at, tags] of tagMaps(document, entries)) {
    for (const [key, value] of Object.entries(tags)) {
      const path = [...at, key];
      const reserved = RESERVED.find((r) => key.toLowerCase().startsWith(r.prefix));
      if (reserved)
        report(path, true, `tag key "${key}" uses the reserved prefix ${reserved.prefix}`, reserved.why);
      else if (key.length === 0) report(path, true, "a tag key cannot be empty");
      else if (key.length > MAX_KEY)
        report(path, true, `tag key is ${key.length} characters; AWS allows at most ${MAX_KEY}`);
      else if (!CHARACTERS.test(key))
        report(
          path,
          true,
          `tag key "${key}" has characters AWS does not allow`,
          "letters, digits, spaces and _.:/=+-@",
        );
      if (typeof value !== "string") continue;
      if (value.length > MAX_VALUE)
        report(path, false, `tag value is ${value.length} characters; AWS allows at most ${MAX_VALUE}`);
      else if (!CHARACTERS.test(value))
        report(
          path,
          false,
          "tag value has characters AWS does not allow",
          "letters, digits, spaces and _.:/=+-@",
        );
    }
  }
  return out;
}
