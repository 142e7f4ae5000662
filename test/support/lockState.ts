import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetParametersByPathCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { processSpace } from "../../src/cli/processes.js";

const ssm = (endpoint: string) => new SSMClient({ region: "us-west-1", endpoint });

/** Every parameter parity keeps for locking (locks and takeover markers), by name. */
export async function lockParameters(endpoint: string): Promise<{ [name: string]: string }> {
  const found: { [name: string]: string } = {};
  for (const Path of ["/parity/locks/", "/parity/takeovers/"]) {
    let NextToken: string | undefined;
    do {
      const page = await ssm(endpoint).send(
        new GetParametersByPathCommand({ Path, Recursive: true, ...(NextToken ? { NextToken } : {}) }),
      );
      for (const p of page.Parameters ?? []) found[p.Name ?? ""] = p.Value ?? "";
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return found;
}

export async function putLock(endpoint: string, name: string, record: object): Promise<void> {
  await ssm(endpoint).send(
    new PutParameterCommand({ Name: name, Type: "String", Overwrite: true, Value: JSON.stringify(record) }),
  );
}

/** A lock as a run on this host would have written it; `pid` and the heartbeat's age say how alive. */
export function localRecord(pid: number, heartbeatAgeMs: number, token = "left-behind"): object {
  const space = processSpace();
  const at = new Date(Date.now() - heartbeatAgeMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    who: `someone@${hostname()}`,
    where: "/somewhere",
    since: at,
    planDigest: "",
    host: hostname(),
    pid,
    ...(space ? { processSpace: space } : {}),
    token,
    heartbeat: at,
  };
}

/** The pid of a process that has exited: a holder that is provably dead on this host. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

export async function groupNames(endpoint: string, prefix: string): Promise<string[]> {
  const found = await new EC2Client({ region: "us-west-1", endpoint }).send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [`${prefix}*`] }] }),
  );
  return (found.SecurityGroups ?? []).map((g) => g.GroupName ?? "").sort();
}

/** An environment of `n` security groups named `<prefix>g<i>`, with an optional project. */
export function groupsFile(environment: string, n: number, prefix: string, project?: string): string {
  const groups = Array.from(
    { length: n },
    (_, i) => `  g${i}:\n    name: ${prefix}g${i}\n    ingress: [{ port: ${8000 + i}, cidr: 10.0.0.0/8 }]`,
  );
  const head = `${project ? `project: ${project}\n` : ""}environment: ${environment}\nregion: us-west-1\n`;
  return `${head}securityGroups:\n${groups.join("\n")}\n`;
}
