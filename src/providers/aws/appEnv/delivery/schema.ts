import { Type, identity, reference, specReader } from "../../../../engine/schema.js";
import type { Static } from "../../../../engine/schema.js";

/** Writing the app's .env on its instances from Parameter Store, through SSM Run Command. */
export const DELIVERY_TYPE = "appEnvDelivery";

export const DELIVERY_ADDRESS = "appEnv.deliver";

/** Records on each instance what it last received: a digest of names, versions and settings, never values. */
export const TAG_DELIVERED = "parity:appEnvDigest";

/** The file's settings, as the user writes them under `appEnv.deliver`. */
const settings = {
  // Every member of the group receives the file, new members included.
  to: reference("instances", { description: "an instance group of this file, like instances.web" }),
  file: Type.String({
    pattern: "^(/[A-Za-z0-9_.@+-]+)+$",
    description: "an absolute path on the instance, like /home/ec2-user/backend/backend/.env",
  }),
  owner: Type.Optional(
    Type.String({
      pattern: "^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$",
      default: "root",
      description: "the user (or user:group) that owns the file, like ec2-user",
    }),
  ),
  mode: Type.Optional(
    Type.String({
      pattern: "^0?[0-7]{3}$",
      default: "0600",
      description: 'the file\'s permissions in octal, like "0600" (quoted, or YAML reads a number)',
    }),
  ),
  restart: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "a shell command the instance runs once the file is in place, like sudo systemctl restart gunicorn",
    }),
  ),
};

export const DeliverySchema = Type.Object(settings, {
  additionalProperties: false,
  description:
    "write the values as a .env file on every instance of a group: the instance reads them from Parameter Store itself",
});

/** One node's spec: the settings, with the block's path and the keys the file lists. */
export const DeliveryNodeSchema = Type.Object(
  {
    ...settings,
    path: Type.String(),
    keys: Type.Array(Type.String()),
    /** The variables the file's secrets come from: what a report from an instance must never echo. */
    secretsFrom: Type.Array(Type.String()),
    /**
     * Never in a spec: documents the one attribute the type compares (instance id → digest), as
     * identity, since two environments' instances and parameter names always differ.
     */
    delivered: Type.Optional(
      Type.Unsafe<Record<string, string>>({
        type: "object",
        additionalProperties: { type: "string" },
        ...identity,
      }),
    ),
  },
  { additionalProperties: false },
);

export type DeliverySpec = Static<typeof DeliverySchema>;
export type DeliveryNodeSpec = Static<typeof DeliveryNodeSchema>;

export const deliverySpec = specReader(DeliveryNodeSchema);

/** The settings with their defaults filled in: what the script and the digest use. */
export function deliverySettings(spec: DeliverySpec): Required<Omit<DeliverySpec, "restart">> & {
  restart?: string;
} {
  return {
    to: spec.to,
    file: spec.file,
    owner: spec.owner ?? "root",
    mode: normaliseMode(spec.mode ?? "0600"),
    ...(spec.restart ? { restart: spec.restart } : {}),
  };
}

/** `600` and `0600` are the same permissions. */
function normaliseMode(mode: string): string {
  return mode.length === 3 ? `0${mode}` : mode;
}
