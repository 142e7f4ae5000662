import { load, planLoaded } from "../src/cli/workflow.js";
const [file, endpoint] = process.argv.slice(2);
const { loaded } = load(file!);
const s = await planLoaded(loaded!, { endpoint: endpoint! });
for (const o of s.observed) console.log(o.address, o.type, JSON.stringify(o.attributes), JSON.stringify(o.outputs));
for (const c of s.plan.changes) console.log("PLAN", c.address, c.action, c.reason ?? "", c.attributes.map((a) => a.path).join(","));
s.ctx.destroy();
