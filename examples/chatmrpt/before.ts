// Builds the chatmrpt "before" state against any endpoint, the way the runbook's team built it by hand:
//
//   npx tsx examples/chatmrpt/before.ts --endpoint-url http://127.0.0.1:5000
//
// The state itself is defined in src/providers/aws/seeds/chatmrpt.ts, which `parity demo` also uses.
import { seedChatmrpt } from "../../src/providers/aws/seeds/chatmrpt.js";

const flag = process.argv.indexOf("--endpoint-url");
const endpoint = flag > 0 ? process.argv[flag + 1] : process.env.AWS_ENDPOINT_URL;
const values = await seedChatmrpt(endpoint, process.env.AWS_REGION ?? "us-west-1");
for (const [example, real] of Object.entries(values)) console.log(`${example} → ${real}`);
