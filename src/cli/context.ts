import type { ConnectionOptions } from "./workflow.js";
import type { Interruption } from "./interruption.js";
import type { Output } from "./output.js";

/** Options every command accepts (DESIGN.md "Global options"). */
export type GlobalOptions = {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  color: boolean;
  verbose: boolean;
};

export type CommandContext = {
  global: GlobalOptions;
  output: Output;
  connection: ConnectionOptions;
  interruption: Interruption;
};

export function connectionFrom(
  global: GlobalOptions,
  output: Output,
  interruption?: Pick<Interruption, "abort">,
): ConnectionOptions {
  // The SDK's default credential chain reads AWS_PROFILE; setting it keeps one code path for all auth.
  if (global.profile) process.env.AWS_PROFILE = global.profile;
  const endpoint = global.endpointUrl ?? process.env.AWS_ENDPOINT_URL;
  return {
    ...(global.region ? { region: global.region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(interruption ? { signal: interruption.abort } : {}),
    ...(global.verbose
      ? {
          onCall: (service: string, operation: string) =>
            output.err(output.palette.dim(`aws ${service} ${operation}`)),
        }
      : {}),
  };
}
