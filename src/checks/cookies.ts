/**
 * The cookies a sequence of requests to one site carries from answer to answer, as a browser
 * would for a session: enough for a load balancer's stickiness cookie (AWSALB) or an app's
 * session. Domain and path scoping are left out: every request of a check goes to one URL.
 */
export type CookieJar = {
  /** Takes in the Set-Cookie headers of an answer; `Max-Age=0` or a past `Expires` removes one. */
  store(setCookies: string[], nowMs: number): void;
  /** The Cookie header for the next request, or undefined when the jar is empty. */
  header(): string | undefined;
  /** The names held, for reports. */
  names(): string[];
};

function expired(attributes: string[], nowMs: number): boolean {
  for (const attribute of attributes) {
    const [key = "", value = ""] = attribute.split("=").map((p) => p.trim());
    if (key.toLowerCase() === "max-age" && Number(value) <= 0) return true;
    if (key.toLowerCase() === "expires" && Date.parse(value) <= nowMs) return true;
  }
  return false;
}

export function cookieJar(): CookieJar {
  const cookies = new Map<string, string>();
  return {
    store(setCookies, nowMs) {
      for (const line of setCookies) {
        const [pair = "", ...attributes] = line.split(";");
        const at = pair.indexOf("=");
        if (at <= 0) continue;
        const name = pair.slice(0, at).trim();
        if (expired(attributes, nowMs)) cookies.delete(name);
        else cookies.set(name, pair.slice(at + 1).trim());
      }
    },
    header() {
      if (cookies.size === 0) return undefined;
      return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    },
    names: () => [...cookies.keys()],
  };
}
