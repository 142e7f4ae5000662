import {
  CreateSnapshotCommand,
  DescribeSnapshotsCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
} from "@aws-sdk/client-ec2";
import type { Filter, Instance, RunInstancesCommandInput, Snapshot } from "@aws-sdk/client-ec2";
import type { Operation } from "../../../engine/types.js";
import { waitUntil } from "../../../engine/wait.js";
import { TAG_ENVIRONMENT, toAwsTags } from "../common/ownership.js";
import type { AwsContext } from "../context.js";
import { tolerate } from "../errors.js";
import { backoff, batcher, batcherOf } from "../common/batching.js";
import type { Batcher } from "../common/batching.js";

const MINUTE = 60_000;
/** Marks the snapshots taken before changing an instance, so a re-run does not take them twice. */
const TAG_SNAPSHOT_OF = "parity:snapshot-of";
/** The plan a snapshot was taken for (`snapshotPlan`): one per plan, however often its apply re-runs. */
export const TAG_SNAPSHOT_PLAN = "parity:snapshot-plan";

export async function describeInstances(ctx: AwsContext, filters: Filter[]): Promise<Instance[]> {
  const found: Instance[] = [];
  // The largest page AWS allows: 200 instances are one call, not two.
  const pages = paginateDescribeInstances({ client: ctx.ec2, pageSize: 1000 }, { Filters: filters });
  for await (const page of pages) {
    for (const reservation of page.Reservations ?? []) found.push(...(reservation.Instances ?? []));
  }
  return found;
}

/** Launches answer in seconds on moto and in tens of seconds on AWS: poll soon, then less often. */
const INSTANCE_POLLS = backoff(1000, 10_000);

/** Every instance an apply is waiting on is polled by one DescribeInstances, per context. */
const pollers = new WeakMap<AwsContext, Batcher<Instance>>();

function describeOne(ctx: AwsContext, id: string): Promise<Instance | undefined> {
  const poller = batcherOf(pollers, ctx, () =>
    batcher(
      async (ids) => {
        // The `instance-id` filter, unlike InstanceIds, does not fail the whole call for one id
        // not visible yet just after RunInstances (eventual consistency): that one is undefined.
        const found = await describeInstances(ctx, [{ Name: "instance-id", Values: ids }]);
        return new Map(found.map((instance) => [instance.InstanceId ?? "", instance]));
      },
      // AWS takes at most 200 values in one filter.
      { gatherMs: 200, maxKeys: 200 },
    ),
  );
  return poller.read(id);
}

/** Polls until the instance is in one of `states`; fails at once if it ends up somewhere it cannot leave. */
export async function waitForState(
  ctx: AwsContext,
  id: string,
  states: string[],
  op: Operation,
): Promise<Instance> {
  return waitUntil(
    async () => {
      const instance = await describeOne(ctx, id);
      const state = instance?.State?.Name ?? "";
      if (states.includes(state)) return instance;
      if (state === "terminated" && !states.includes("terminated")) {
        const reason = instance?.StateReason?.Message ?? instance?.StateTransitionReason ?? "";
        throw new Error(
          `instance ${id} terminated while waiting for it to be ${states.join(" or ")}${reason ? `: ${reason}` : ""}`,
        );
      }
      return undefined;
    },
    {
      what: `instance ${id} to be ${states.join(" or ")}`,
      timeoutMs: 15 * MINUTE,
      intervalMs: INSTANCE_POLLS,
      signal: op.signal,
      progress: op.progress,
    },
  );
}

/**
 * What makes two RunInstances calls "the same launch" for the idempotency token. The request
 * (minus the token) is part of it because AWS keeps a token for at least a day after the instance
 * it made is terminated: re-using one token for a replacement with other parameters fails with
 * IdempotentParameterMismatch, and with the same parameters returns the dead instance (create()
 * then moves on to a token salted with that instance's id).
 */
export function launchPurpose(request: object, replacing: string | undefined, salt = ""): string {
  // Keys sorted at every level, so the purpose never depends on the order a request was built in.
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
    }
    return value;
  };
  return `run-instances|${JSON.stringify(canonical(request))}|${replacing ?? ""}|${salt}`;
}

/**
 * RunInstances with a deterministic ClientToken (see launchPurpose). If AWS answers with an
 * instance that is already gone, the token belonged to an earlier generation of this member:
 * launch again with a token salted by that instance's id.
 */
export async function runInstance(
  ctx: AwsContext,
  request: RunInstancesCommandInput,
  address: string,
  replacing: string | undefined,
): Promise<string> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const token = ctx.token(address, launchPurpose(request, replacing, seen.join(",")));
    const made = await ctx.ec2.send(new RunInstancesCommand({ ...request, ClientToken: token }));
    const instance = made.Instances?.[0];
    if (!instance?.InstanceId) throw new Error("RunInstances returned no instance");
    const state = instance.State?.Name ?? "";
    if (state !== "terminated" && state !== "shutting-down") return instance.InstanceId;
    seen.push(instance.InstanceId);
  }
  throw new Error(`RunInstances kept returning terminated instances (${seen.join(", ")})`);
}

export async function modifyGroups(ctx: AwsContext, id: string, groups: string[]): Promise<void> {
  await ctx.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: groups }));
}

/** An instance type can only change while stopped: stop, change, and start again if it was running. */
export async function changeType(ctx: AwsContext, id: string, type: string, op: Operation): Promise<void> {
  let current = await describeOne(ctx, id);
  // A pending instance cannot be stopped yet (IncorrectInstanceState): let it finish starting.
  if (current?.State?.Name === "pending") current = await waitForState(ctx, id, ["running"], op);
  const wasRunning = current?.State?.Name === "running";
  if (current?.State?.Name !== "stopped") {
    op.progress(`stopping ${id} to change its type`);
    await ctx.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitForState(ctx, id, ["stopped"], op);
  }
  await ctx.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: type } }));
  if (wasRunning) {
    op.progress(`starting ${id} as ${type}`);
    await ctx.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitForState(ctx, id, ["running"], op);
  }
}

/**
 * Snapshots every volume of an instance that is about to be changed or terminated and waits until
 * the snapshots are complete, so the data is safe before anything happens to it. Each is named and
 * tagged after the plan (`plan`, see snapshotPlan): the snapshots a run of the same plan already
 * took for this instance (an interrupted apply, re-run) are reused, never taken twice.
 */
export async function snapshotVolumes(
  ctx: AwsContext,
  id: string,
  volumes: string[],
  op: Operation,
  plan: string,
): Promise<string[]> {
  if (volumes.length === 0) return [];
  const terminating = op.change.action === "replace" || op.change.action === "delete";
  const existing = await ctx.ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ["self"],
      Filters: [
        { Name: `tag:${TAG_SNAPSHOT_OF}`, Values: [id] },
        { Name: `tag:${TAG_SNAPSHOT_PLAN}`, Values: [plan] },
      ],
    }),
  );
  const byVolume = new Map<string, Snapshot>();
  for (const snap of existing.Snapshots ?? [])
    if (snap.VolumeId && snap.State !== "error") byVolume.set(snap.VolumeId, snap);
  const ids: string[] = [];
  for (const volume of volumes) {
    const done = byVolume.get(volume);
    if (done?.SnapshotId) {
      ids.push(done.SnapshotId);
      continue;
    }
    op.progress(`snapshotting ${volume} of ${id} (plan ${plan})`);
    const made = await ctx.ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volume,
        // The plan is in the name and tags; the description reads the same for every plan.
        Description: `${op.change.address} (${id}) ${terminating ? "before it was terminated" : "before parity changed it"}`,
        TagSpecifications: [
          {
            ResourceType: "snapshot",
            Tags: toAwsTags({
              ...op.env.tags,
              Name: `${op.env.environment}-${op.change.address}-${volume}-plan-${plan}`,
              [TAG_ENVIRONMENT]: op.env.environment,
              [TAG_SNAPSHOT_OF]: id,
              [TAG_SNAPSHOT_PLAN]: plan,
              "parity:snapshot-of-address": op.change.address,
            }),
          },
        ],
      }),
    );
    if (made.SnapshotId) ids.push(made.SnapshotId);
  }
  await waitUntil(
    async () => {
      // A snapshot just made may not be visible yet (eventual consistency): keep polling.
      const found = await tolerate(
        () => ctx.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ids })),
        "InvalidSnapshot.NotFound",
      );
      if (!found) return undefined;
      const failed = (found.Snapshots ?? []).find((s) => s.State === "error");
      if (failed)
        throw new Error(
          `snapshot ${failed.SnapshotId} of ${failed.VolumeId} failed: ${failed.StateMessage ?? ""}`,
        );
      const complete = (found.Snapshots ?? []).filter((s) => s.State === "completed").length;
      return complete === ids.length ? true : undefined;
    },
    {
      what: `snapshots of ${id} to complete`,
      timeoutMs: 120 * MINUTE,
      intervalMs: 10_000,
      signal: op.signal,
      progress: op.progress,
    },
  );
  return ids;
}

export async function terminate(ctx: AwsContext, id: string, op: Operation): Promise<void> {
  await tolerate(
    () => ctx.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })),
    "InvalidInstanceID.NotFound",
  );
  // Wait for `terminated`: until then the instance still holds its security groups and subnet.
  await waitUntil(
    async () => {
      const instance = await describeOne(ctx, id);
      return !instance || instance.State?.Name === "terminated" ? true : undefined;
    },
    {
      what: `instance ${id} to terminate`,
      timeoutMs: 15 * MINUTE,
      intervalMs: INSTANCE_POLLS,
      signal: op.signal,
      progress: op.progress,
    },
  );
}
