import type { WiringRule } from "../../../engine/wiring.js";
import { TYPE } from "./schema.js";

/** No database is reachable from the internet. */
export const publicDatabases: WiringRule = (view) =>
  view
    .ofType(TYPE)
    .filter((db) => db.spec.publiclyAccessible === true)
    .map((db) => ({
      address: db.address,
      at: ["publiclyAccessible"],
      message: `${db.address} is publicly accessible`,
      hint: "set publiclyAccessible: false and admit the app's security group instead",
    }));
