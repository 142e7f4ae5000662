import type { Doc, Finding } from "./document.js";
import { entries } from "./document.js";
import { isPlainObject } from "../model/index.js";
import { admitsPort, ingressRules, isWorld } from "./rules.js";

/** Every target group sets a health-check path: AWS's default `/` often answers 404 or a redirect. */
export function healthCheckPaths(doc: Doc): Finding[] {
  return entries(doc, "targetGroups")
    .filter(([, tg]) => !(isPlainObject(tg.healthCheck) && typeof tg.healthCheck.path === "string"))
    .map(([name]) => ({
      path: ["targetGroups", name],
      atKey: true,
      message: `targetGroups.${name} has no health-check path, so AWS probes "/"`,
      hint: "set healthCheck: { path: /health } to the app's health endpoint",
    }));
}

/** SSH (port 22) is not open to 0.0.0.0/0 or ::/0. */
export function sshOpenToWorld(doc: Doc): Finding[] {
  return entries(doc, "securityGroups").flatMap(([name, group]) =>
    ingressRules(group).flatMap((rule, i) =>
      admitsPort(rule, 22) && isWorld(rule.cidr)
        ? [
            {
              path: ["securityGroups", name, "ingress", i, "cidr"],
              message: `SSH (port 22) is open to the world (${rule.cidr})`,
              hint: "allow only the addresses that need it, e.g. cidr: 203.0.113.10/32",
            },
          ]
        : [],
    ),
  );
}

/** No database is reachable from the internet. */
export function publicDatabases(doc: Doc): Finding[] {
  return entries(doc, "databases")
    .filter(([, db]) => db.publiclyAccessible === true)
    .map(([name]) => ({
      path: ["databases", name, "publiclyAccessible"],
      message: `databases.${name} is publicly accessible`,
      hint: "set publiclyAccessible: false and admit the app's security group instead",
    }));
}
