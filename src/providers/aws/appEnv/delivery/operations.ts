import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { GetCommandInvocationCommand, SendCommandCommand } from "@aws-sdk/client-ssm";
import pLimit from "p-limit";
import type { Operation, Outputs } from "../../../../engine/types.js";
import { tagMap } from "../../common/readers.js";
import { waitFor } from "../../common/waiting.js";
import type { Patience } from "../../common/waiting.js";
import type { AwsContext } from "../../context.js";
import { isAwsError } from "../../errors.js";
import { scrubbed } from "../values.js";
import { deliverySettings, deliverySpec, TAG_DELIVERED } from "./schema.js";
import { deliveryScript } from "./script.js";

/** SendCommand takes at most 50 instance ids per call. */
const INSTANCES_PER_COMMAND = 50;
/** Invocations polled at once: GetCommandInvocation answers for one instance at a time. */
const POLLS_IN_PARALLEL = 10;
/** Rendering a short file and restarting a service: minutes would mean the instance is stuck. */
const PATIENCE: Patience = { timeoutMs: 10 * 60_000, intervalMs: 2000 };
/** What the instance runs the script with, before SSM gives up on it. */
const EXECUTION_TIMEOUT_SECONDS = 600;
/** States after which GetCommandInvocation's answer no longer changes. */
const FINAL = new Set(["Success", "Failed", "Cancelled", "TimedOut"]);

export type InstanceOutcome = { instance: string; status: string; detail?: string };

/** The first line of what the script said on failure, with every secret of the file cut out. */
function failureDetail(code: number | undefined, stderr: string | undefined, secrets: string[]): string {
  const said = (stderr ?? "").split("\n").find((l) => l.trim() !== "") ?? "";
  const text = `exit ${code ?? "?"}${said ? `: ${said.trim()}` : ""}`;
  return scrubbed(new Error(text), secrets).message;
}

/** The file's secret values as this run knows them: none may reach a report, even from an instance. */
function knownSecrets(op: Operation): string[] {
  return deliverySpec(op.node!)
    .secretsFrom.map((name) => op.env.secrets[name])
    .filter((v): v is string => typeof v === "string" && v !== "");
}

async function send(ctx: AwsContext, op: Operation, instances: string[]): Promise<string> {
  const spec = deliverySpec(op.node!);
  const s = deliverySettings(spec);
  try {
    const sent = await ctx.ssm.send(
      new SendCommandCommand({
        DocumentName: "AWS-RunShellScript",
        // `Targets` would do the batching for us, but ids are what the plan named.
        InstanceIds: instances,
        Comment: `parity ${op.env.environment}: ${s.file}`.slice(0, 100),
        Parameters: {
          commands: deliveryScript(spec, op.env.region),
          executionTimeout: [String(EXECUTION_TIMEOUT_SECONDS)],
        },
      }),
    );
    const id = sent.Command?.CommandId;
    if (!id) throw new Error("SSM accepted the command but returned no command id");
    return id;
  } catch (error) {
    if (!isAwsError(error, "InvalidInstanceId")) throw error;
    throw new Error(
      `SSM cannot reach ${instances.join(", ")}: each needs the SSM agent running and an instance profile that allows it (AmazonSSMManagedInstanceCore)`,
    );
  }
}

/** Waits until one instance's invocation is over; "not there yet" right after sending is normal. */
async function outcome(ctx: AwsContext, op: Operation, command: string, instance: string) {
  return waitFor(op, `delivery to ${instance}`, PATIENCE, async () => {
    try {
      const got = await ctx.ssm.send(
        new GetCommandInvocationCommand({ CommandId: command, InstanceId: instance }),
      );
      const status = got.Status ?? "";
      if (!FINAL.has(status)) return undefined;
      return { status, code: got.ResponseCode, stderr: got.StandardErrorContent };
    } catch (error) {
      if (isAwsError(error, "InvocationDoesNotExist")) return undefined;
      throw error;
    }
  });
}

/** Runs the delivery on `instances` and reports each; never throws for one instance's failure. */
export async function deliverTo(
  ctx: AwsContext,
  op: Operation,
  instances: string[],
): Promise<InstanceOutcome[]> {
  const secrets = knownSecrets(op);
  const limit = pLimit(POLLS_IN_PARALLEL);
  const outcomes: InstanceOutcome[] = [];
  for (let i = 0; i < instances.length; i += INSTANCES_PER_COMMAND) {
    const batch = instances.slice(i, i + INSTANCES_PER_COMMAND);
    const command = await send(ctx, op, batch);
    const results = await Promise.all(
      batch.map((instance) =>
        limit(async (): Promise<InstanceOutcome> => {
          const result = await outcome(ctx, op, command, instance).then(
            ({ status, code, stderr }): InstanceOutcome =>
              status === "Success"
                ? { instance, status }
                : { instance, status, detail: failureDetail(code, stderr, secrets) },
            // No answer for one instance (a timeout, a refused call) is that instance's failure only.
            (error: unknown): InstanceOutcome => ({
              instance,
              status: "Unknown",
              detail: scrubbed(error, secrets).message,
            }),
          );
          op.progress(
            `${instance}: ${result.status === "Success" ? "delivered" : `${result.status} (${result.detail ?? ""})`}`,
          );
          return result;
        }),
      ),
    );
    outcomes.push(...results);
  }
  return outcomes;
}

/** Records the digest on the instances that received it, so the next plan leaves them alone. */
async function record(ctx: AwsContext, instances: string[], digest: string): Promise<void> {
  for (let i = 0; i < instances.length; i += INSTANCES_PER_COMMAND) {
    await ctx.ec2.send(
      new CreateTagsCommand({
        Resources: instances.slice(i, i + INSTANCES_PER_COMMAND),
        Tags: [{ Key: TAG_DELIVERED, Value: digest }],
      }),
    );
  }
}

/**
 * Delivers to every member whose recorded digest differs from the current one. Members that
 * succeed are recorded even when others fail: nothing is rolled back, and the next apply
 * delivers only to those that did not get it.
 */
export async function applyDelivery(ctx: AwsContext, op: Operation): Promise<Outputs> {
  const want = tagMap(op.desired?.delivered);
  const have = tagMap(op.observed?.attributes.delivered);
  const pending = Object.keys(want).filter((id) => want[id] !== have[id]);
  const outcomes = await deliverTo(ctx, op, pending);
  const delivered = outcomes.filter((o) => o.status === "Success").map((o) => o.instance);
  // Every member is asked for the same digest: the one of the values the file holds now.
  const digest = want[delivered[0] ?? ""];
  if (digest) await record(ctx, delivered, digest);
  const failed = outcomes.filter((o) => o.status !== "Success");
  if (failed.length > 0) {
    const where = failed.map((f) => `${f.instance} (${f.status}: ${f.detail ?? ""})`).join(", ");
    const kept = delivered.length ? `; delivered to ${delivered.join(", ")}, which keep the new file` : "";
    throw new Error(`delivery failed on ${where}${kept}`);
  }
  return {};
}

/** A delivery leaves nothing behind to delete: dropping `deliver` leaves the files where they are. */
export async function forgetDelivery(): Promise<void> {}
