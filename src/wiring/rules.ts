import type { Value } from "../model/index.js";
import { isPlainObject } from "../model/index.js";
import type { Entry } from "./document.js";

/** A security group's ingress rules as the file writes them. */
export function ingressRules(group: Entry | undefined): Entry[] {
  const rules = group?.ingress;
  return Array.isArray(rules) ? rules.filter(isPlainObject) : [];
}

/** Whether a rule lets TCP traffic to `port` through (protocol `all` ignores ports). */
export function admitsPort(rule: Entry, port: number): boolean {
  const protocol = rule.protocol ?? "tcp";
  if (protocol === "all") return true;
  if (protocol !== "tcp" || typeof rule.port !== "number") return false;
  const to = typeof rule.toPort === "number" ? rule.toPort : rule.port;
  return rule.port <= port && port <= to;
}

/** 0.0.0.0/0 or ::/0: every address there is. */
export function isWorld(cidr: Value | undefined): cidr is string {
  return typeof cidr === "string" && /\/0$/.test(cidr.trim());
}
