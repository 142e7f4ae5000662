// `npm run schema`: regenerates schemas/*.schema.json; a unit test fails while they are stale.
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { schemaFiles } from "./schemas.js";

for (const { path, text } of schemaFiles()) {
  writeFileSync(path, text);
  process.stdout.write(`wrote ${relative(process.cwd(), path)}\n`);
}
