import type { WiringRule } from "../../../engine/wiring.js";
import { isPlainObject } from "../../../model/index.js";
import { TYPE } from "./schema.js";

/** Every target group sets a health-check path: AWS's default `/` often answers 404 or a redirect. */
export const healthCheckPaths: WiringRule = (view) =>
  view
    .ofType(TYPE)
    .filter((tg) => !(isPlainObject(tg.spec.healthCheck) && typeof tg.spec.healthCheck.path === "string"))
    .map((tg) => ({
      address: tg.address,
      atKey: true,
      message: `${tg.address} has no health-check path, so AWS probes "/"`,
      hint: "set healthCheck: { path: /health } to the app's health endpoint",
    }));
