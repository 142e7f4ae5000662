import { ParityError } from "../../model/index.js";
import { awsErrorName } from "./errors.js";

/**
 * Turns a failure of the outside world into one clear sentence with a fix: an unreachable
 * endpoint, missing or expired credentials, an access denial. Anything else keeps AWS's words.
 */
export function describeAwsFailure(error: unknown, endpoint: string | undefined): ParityError {
  if (error instanceof ParityError) return error;
  const name = awsErrorName(error);
  const text = error instanceof Error ? error.message : String(error);
  const code =
    (error as { code?: string; cause?: { code?: string } }).code ??
    (error as { cause?: { code?: string } }).cause?.code;
  if (
    ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET"].includes(String(code)) ||
    /ECONNREFUSED|ENOTFOUND/.test(text)
  ) {
    return new ParityError(
      `cannot reach AWS${endpoint ? ` at ${endpoint}` : ""} (${code ?? text})`,
      endpoint
        ? "check --endpoint-url / AWS_ENDPOINT_URL, or start the emulator"
        : "check your network connection",
    );
  }
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(text)) {
    return new ParityError(
      "no AWS credentials found",
      "set AWS_PROFILE / --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    );
  }
  if (["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"].includes(name)) {
    return new ParityError(
      "your AWS credentials have expired",
      "refresh them (e.g. aws sso login) and run the command again",
    );
  }
  if (
    ["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure"].includes(
      name,
    )
  ) {
    return new ParityError(
      `AWS rejected the credentials (${name})`,
      "check the access key, secret and profile",
    );
  }
  if (["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"].includes(name)) {
    return new ParityError(
      `AWS denied access: ${text}`,
      "grant the IAM permission named above to the identity you use",
    );
  }
  return new ParityError(name ? `AWS error ${name}: ${text}` : text);
}
