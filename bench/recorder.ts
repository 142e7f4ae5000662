/**
 * Counts AWS API calls with moto's own recorder, so parity (in-process) and Terraform (another
 * process, another SDK) are counted by the same thing: the requests the emulator received.
 */

export type Calls = { total: number; byAction: Record<string, number> };

type Entry = {
  headers?: Record<string, string>;
  method?: string;
  url?: string;
  body?: string;
  body_encoded?: boolean;
};

async function control(endpoint: string, path: string, method = "POST"): Promise<string> {
  const response = await fetch(`${endpoint}/moto-api/recorder/${path}`, { method });
  if (!response.ok) throw new Error(`moto recorder ${path}: HTTP ${response.status}`);
  return response.text();
}

/** Runs `work` with the recorder on and returns its result and the calls made meanwhile. */
export async function recorded<T>(
  endpoint: string,
  work: () => Promise<T>,
): Promise<{ value: T; calls: Calls }> {
  await control(endpoint, "reset-recording");
  await control(endpoint, "start-recording");
  try {
    const value = await work();
    await control(endpoint, "stop-recording");
    return { value, calls: countCalls(await control(endpoint, "download-recording", "GET")) };
  } finally {
    // A failed phase must not leave the recorder on for the next one.
    await control(endpoint, "stop-recording").catch(() => undefined);
  }
}

function header(entry: Entry, name: string): string | undefined {
  const found = Object.entries(entry.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
}

/** `service:Action` of one recorded request (query `Action=`, JSON `X-Amz-Target`, else method and path). */
export function callName(entry: Entry): string {
  // SigV4 scope: Credential=KEY/DATE/REGION/SERVICE/aws4_request
  const service =
    /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(header(entry, "authorization") ?? "")?.[1] ?? "?";
  const raw = entry.body ?? "";
  const body = entry.body_encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  const action = new URLSearchParams(body).get("Action");
  if (action) return `${service}:${action}`;
  const target = header(entry, "x-amz-target");
  if (target) return `${service}:${target.split(".").pop() ?? target}`;
  const path = entry.url ? new URL(entry.url).pathname : "/";
  return `${service}:${entry.method ?? "?"} ${path}`;
}

/** The recording is one JSON object per line. */
export function countCalls(recording: string): Calls {
  const byAction: Record<string, number> = {};
  let total = 0;
  for (const line of recording.split("\n")) {
    if (!line.trim()) continue;
    const name = callName(JSON.parse(line) as Entry);
    byAction[name] = (byAction[name] ?? 0) + 1;
    total += 1;
  }
  return { total, byAction };
}
