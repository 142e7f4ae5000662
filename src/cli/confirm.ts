import { createInterface } from "node:readline/promises";

/**
 * Asks on the terminal; only the exact expected answer (typed in full) confirms. Ctrl-C at the
 * prompt (which readline takes from the terminal itself) or an aborted run answers no.
 */
export async function confirm(question: string, expected: string, signal?: AbortSignal): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const cancel = new AbortController();
  rl.once("SIGINT", () => cancel.abort());
  try {
    const answer = await rl.question(question, {
      signal: signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal,
    });
    return answer.trim() === expected;
  } catch (error) {
    if ((error as Error).name === "AbortError") return false;
    throw error;
  } finally {
    rl.close();
  }
}
