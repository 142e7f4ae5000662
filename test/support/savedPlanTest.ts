import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { applyFile, writeEnvironment } from "./harness.js";

/** Shared by the saved-plan tests: an applied environment whose file has moved on since. */
export const BEFORE = `
environment: saved
region: us-west-1
securityGroups:
  alb:
    name: saved-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }]
`;

export const AFTER = `
environment: saved
region: us-west-1
securityGroups:
  alb:
    name: saved-alb
    ingress: [{ port: 80, cidr: 0.0.0.0/0 }, { port: 443, cidr: 0.0.0.0/0 }]
  app:
    name: saved-app
    ingress: [{ port: 8080, source: securityGroups.alb }]
`;

export const ec2 = (endpoint: string) => new EC2Client({ region: "us-west-1", endpoint });

export async function group(endpoint: string, name: string) {
  const found = await ec2(endpoint).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [name] }] }),
  );
  return found.SecurityGroups?.[0];
}

export async function ports(endpoint: string, name: string): Promise<number[]> {
  const g = await group(endpoint, name);
  return (g?.IpPermissions ?? []).map((p) => p.FromPort ?? -1).sort((a, b) => a - b);
}

/** The environment file in its own folder; the CLI runs there, so the plan records `env.yaml`. */
export async function prepared(endpoint: string): Promise<{ dir: string; file: string }> {
  const file = writeEnvironment(BEFORE);
  await applyFile(file, endpoint);
  writeFileSync(file, AFTER);
  return { dir: dirname(file), file };
}
