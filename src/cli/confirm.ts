import { createInterface } from "node:readline/promises";

/** Asks on the terminal; only the exact expected answer (typed in full) confirms. */
export async function confirm(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(question);
    return answer.trim() === expected;
  } finally {
    rl.close();
  }
}
