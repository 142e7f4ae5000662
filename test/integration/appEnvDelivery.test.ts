import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { Instance } from "@aws-sdk/client-ec2";
import { GetParameterCommand, ListCommandsCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { Command } from "@aws-sdk/client-ssm";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parity } from "../support/child.js";
import { startFaultProxy } from "../support/faultProxy.js";
import type { Call } from "../support/faultProxy.js";
import { editFile } from "../support/stage.js";
import { actions, applyFile, change, planFile, useMoto, writeEnvironment } from "../support/harness.js";

const { emulator } = useMoto();

const SECRET = "postgres://app:d3liver-s3cret-81@db.internal:5432/app";
const ROTATED = "postgres://app:r0tated-d3liver-17@db.internal:5432/app";
const SECRETS = { DELIVERTEST_DATABASE_URL: SECRET };
const ENV_FILE = "/home/ec2-user/backend/backend/.env";

function file(image: string, count = 2, cors = "https://app.example.com"): string {
  return `
environment: delivertest
region: us-west-1
instances:
  web: { count: ${count}, type: t3.micro, image: ${image} }
appEnv:
  path: /delivertest/staging/
  values:
    CORS_ORIGINS: ${cors}
    S3_BUCKET_NAME: delivertest-assets
    DATABASE_URL: { secret: true, fromEnv: DELIVERTEST_DATABASE_URL }
  deliver:
    to: instances.web
    file: ${ENV_FILE}
    owner: ec2-user
    mode: "0600"
    restart: sudo systemctl restart gunicorn
`;
}

function clients(endpoint: string) {
  return {
    ec2: new EC2Client({ region: "us-west-1", endpoint }),
    ssm: new SSMClient({ region: "us-west-1", endpoint }),
  };
}

/** A real Amazon Linux AMI of the emulator, found the way a user would. */
async function amazonLinux(endpoint: string): Promise<string> {
  const found = await clients(endpoint).ssm.send(
    new GetParameterCommand({ Name: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2" }),
  );
  return found.Parameter?.Value as string;
}

/** Every Run Command sent so far, oldest first, as `aws ssm list-commands` shows them. */
async function sentCommands(endpoint: string): Promise<Command[]> {
  const listed = await clients(endpoint).ssm.send(new ListCommandsCommand({}));
  return [...(listed.Commands ?? [])].sort(
    (a, b) => (a.RequestedDateTime?.getTime() ?? 0) - (b.RequestedDateTime?.getTime() ?? 0),
  );
}

/**
 * moto answers every SendCommand (and ListCommands) with every instance of the region, whatever
 * InstanceIds said: which instances parity named is read off the wire, through a proxy, in order.
 */
async function recorded(
  target: string,
  answer?: (call: Call, request: string, answer: string) => string | undefined,
) {
  const named: string[][] = [];
  const proxy = await startFaultProxy({
    target,
    rewrite: (call, request, text) => {
      if (call.operation === "SendCommand") {
        named.push([...((JSON.parse(request) as { InstanceIds?: string[] }).InstanceIds ?? [])].sort());
      }
      return answer?.(call, request, text);
    },
  });
  return { endpoint: proxy.endpoint, named, stop: () => proxy.stop() };
}

async function webInstances(endpoint: string): Promise<Instance[]> {
  const found = await clients(endpoint).ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: "tag:parity:environment", Values: ["delivertest"] },
        { Name: "instance-state-name", Values: ["pending", "running"] },
      ],
    }),
  );
  return (found.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

const ids = (instances: Instance[]) => instances.map((i) => i.InstanceId as string).sort();
const digestOf = (instance: Instance) => instance.Tags?.find((t) => t.Key === "parity:appEnvDigest")?.Value;

describe("appEnv delivery through SSM Run Command", () => {
  it("renders the file on every instance from Parameter Store, records it, and re-plans clean", async () => {
    const moto = emulator().endpoint;
    const wire = await recorded(moto);
    const endpoint = wire.endpoint;
    try {
      const path = writeEnvironment(file(await amazonLinux(moto)));
      const first = await planFile(path, endpoint, SECRETS);
      const planned = change(first.plan, "appEnv.deliver");
      expect(planned.action).toBe("update");
      expect(planned.notes).toEqual([
        `deliver ${ENV_FILE} (owner ec2-user, mode 0600) to instances.web[0] (new), instances.web[1] (new) through SSM Run Command, then run \`sudo systemctl restart gunicorn\``,
      ]);
      expect(planned.risks).toEqual(["downtime"]);
      first.ctx.destroy();

      const applied = await parity(["apply", path, "--auto-approve", "--no-checks"], {
        endpoint,
        env: SECRETS,
      });
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);

      const instances = await webInstances(moto);
      expect(instances).toHaveLength(2);
      expect(wire.named).toEqual([ids(instances)]);
      const commands = await sentCommands(moto);
      expect(commands).toHaveLength(1);
      const [sent] = commands;
      expect(sent?.DocumentName).toBe("AWS-RunShellScript");
      const script = (sent?.Parameters?.commands ?? []).join("\n");
      expect(script).toContain(`file='${ENV_FILE}'`);
      expect(script).toContain("chown 'ec2-user'");
      expect(script).toContain("chmod 0600");
      expect(script).toContain(`mv -f "$tmp" "$file"`);
      expect(script.trimEnd().endsWith("sudo systemctl restart gunicorn")).toBe(true);
      for (const key of ["CORS_ORIGINS", "S3_BUCKET_NAME", "DATABASE_URL"])
        expect(script).toContain(`line ${key} '/delivertest/staging/${key}'`);
      expect(script).toContain("--region 'us-west-1'");
      // Names only: no value of the file, secret or not, is in the command.
      expect(JSON.stringify(sent)).not.toContain("d3liver-s3cret");
      expect(JSON.stringify(sent)).not.toContain("https://app.example.com");

      // Each instance carries the same digest: sixteen hex digits of names and versions.
      const digests = instances.map(digestOf);
      expect(digests[0]).toMatch(/^[0-9a-f]{16}$/);
      expect(new Set(digests).size).toBe(1);
      for (const id of ids(instances)) expect(applied.stdout).toContain(`${id}: delivered`);

      const again = await parity(["plan", path, "--detailed-exitcode"], { endpoint, env: SECRETS });
      expect(again.code, again.stdout).toBe(0);
      const json = await parity(["plan", path, "--json"], { endpoint, env: SECRETS });
      for (const out of [applied, again, json])
        expect(out.stdout + out.stderr).not.toContain("d3liver-s3cret");
      expect(wire.named).toHaveLength(1);
    } finally {
      await wire.stop();
    }
  });

  it("redelivers a changed key to every instance, and a change elsewhere to none", async () => {
    const moto = emulator().endpoint;
    const wire = await recorded(moto);
    const endpoint = wire.endpoint;
    try {
      const path = writeEnvironment(file(await amazonLinux(moto)));
      await applyFile(path, endpoint, SECRETS);
      const instances = ids(await webInstances(moto));
      expect(wire.named).toEqual([instances]);

      // A rotated secret: the plan shows the key and the delivery, naming both instances.
      const rotated = { DELIVERTEST_DATABASE_URL: ROTATED };
      const plan = await planFile(path, endpoint, rotated);
      expect(actions(plan.plan)).toEqual(["update appEnv.values.DATABASE_URL", "update appEnv.deliver"]);
      const named = change(plan.plan, "appEnv.deliver").notes[0] ?? "";
      for (const id of instances) expect(named).toContain(id);
      expect(change(plan.plan, "appEnv.deliver").attributes.map((a) => a.after)).toEqual([
        { $unknown: "appEnv.deliver.digest" },
        { $unknown: "appEnv.deliver.digest" },
      ]);
      plan.ctx.destroy();
      const before = (await webInstances(moto)).map(digestOf);
      await applyFile(path, endpoint, rotated);
      expect(wire.named).toEqual([instances, instances]);
      expect(JSON.stringify(await sentCommands(moto))).not.toContain("r0tated");
      const after = (await webInstances(moto)).map(digestOf);
      expect(after[0]).not.toBe(before[0]);

      // A change that is not the app's configuration: no delivery.
      editFile(path, (text) => text.replace("type: t3.micro", "type: t3.small"));
      const other = await planFile(path, endpoint, rotated);
      expect(actions(other.plan)).toEqual(["update instances.web[0]", "update instances.web[1]"]);
      other.ctx.destroy();
      await applyFile(path, endpoint, rotated);
      expect(wire.named).toHaveLength(2);
    } finally {
      await wire.stop();
    }
  });

  it("applies a saved plan's delivery, with no secret in the saved file", async () => {
    const moto = emulator().endpoint;
    const wire = await recorded(moto);
    const endpoint = wire.endpoint;
    try {
      const path = writeEnvironment(file(await amazonLinux(moto)));
      await applyFile(path, endpoint, SECRETS);
      const rotated = { DELIVERTEST_DATABASE_URL: ROTATED };
      const saved = join(dirname(path), "rotate.plan.json");
      const planned = await parity(["plan", path, "--out", saved], { endpoint, env: rotated });
      expect(planned.code, planned.stderr).toBe(0);
      expect(readFileSync(saved, "utf8")).not.toContain("r0tated");
      const applied = await parity(["apply", saved, "--auto-approve", "--no-checks"], {
        endpoint,
        env: rotated,
      });
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const instances = ids(await webInstances(moto));
      expect(wire.named).toEqual([instances, instances]);
      const again = await planFile(path, endpoint, rotated);
      expect(actions(again.plan)).toEqual([]);
      again.ctx.destroy();
    } finally {
      await wire.stop();
    }
  });

  it("delivers to a new member of the group only", async () => {
    const moto = emulator().endpoint;
    const wire = await recorded(moto);
    const endpoint = wire.endpoint;
    try {
      const path = writeEnvironment(file(await amazonLinux(moto), 1));
      await applyFile(path, endpoint, SECRETS);
      const [old] = ids(await webInstances(moto));

      editFile(path, (text) => text.replace("count: 1", "count: 2"));
      const plan = await planFile(path, endpoint, SECRETS);
      expect(actions(plan.plan)).toEqual(["create instances.web[1]", "update appEnv.deliver"]);
      expect(change(plan.plan, "appEnv.deliver").notes[0]).toContain("to instances.web[1] (new) through");
      plan.ctx.destroy();
      await applyFile(path, endpoint, SECRETS);

      const added = ids(await webInstances(moto)).filter((id) => id !== old);
      expect(added).toHaveLength(1);
      expect(wire.named).toEqual([[old], added]);
      expect(new Set((await webInstances(moto)).map(digestOf)).size).toBe(1);
      const again = await planFile(path, endpoint, SECRETS);
      expect(actions(again.plan)).toEqual([]);
      again.ctx.destroy();
    } finally {
      await wire.stop();
    }
  });

  it("reports a failed instance by id, exits non-zero, keeps the others, and retries only the failed one", async () => {
    const moto = emulator().endpoint;
    const path = writeEnvironment(file(await amazonLinux(moto)));
    await applyFile(path, moto, SECRETS);
    const [good, bad] = ids(await webInstances(moto)) as [string, string];

    // moto reports every invocation as Success; the proxy answers Failed for one instance, the
    // way SSM reports a script that exited 1 (with a stderr that echoes the secret, which parity cuts out).
    const wire = await recorded(moto, (call, request, answer) => {
      if (call.operation !== "GetCommandInvocation" || !request.includes(bad)) return undefined;
      const parsed = JSON.parse(answer) as Record<string, unknown>;
      return JSON.stringify({
        ...parsed,
        Status: "Failed",
        StatusDetails: "Failed",
        ResponseCode: 1,
        StandardErrorContent: `mktemp: failed to create file via template: No such file or directory ${ROTATED}`,
      });
    });
    try {
      const rotated = { DELIVERTEST_DATABASE_URL: ROTATED };
      const failed = await parity(["apply", path, "--auto-approve", "--no-checks"], {
        endpoint: wire.endpoint,
        env: rotated,
      });
      const out = failed.stdout + failed.stderr;
      expect(failed.code, out).toBe(1);
      expect(wire.named).toEqual([[good, bad]]);
      expect(out).toContain(`${good}: delivered`);
      expect(out).toContain(`delivery failed on ${bad} (Failed: exit 1: mktemp: failed to create file`);
      expect(out).toContain(`delivered to ${good}, which keep the new file`);
      expect(out).not.toContain("r0tated");

      // The one that failed is not recorded: the next plan delivers to it alone.
      const digests = new Map((await webInstances(moto)).map((i) => [i.InstanceId, digestOf(i)]));
      expect(digests.get(good)).not.toBe(digests.get(bad));
      const retry = await planFile(path, moto, rotated);
      expect(actions(retry.plan)).toEqual(["update appEnv.deliver"]);
      expect(change(retry.plan, "appEnv.deliver").notes[0]).toContain(`to ${bad} through`);
      retry.ctx.destroy();
    } finally {
      await wire.stop();
    }
  });
});
