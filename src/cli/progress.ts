import ora from "ora";
import type { ApplyEvent, EventSink } from "../engine/types.js";
import type { Output } from "./output.js";

const VERB: Record<string, [string, string]> = {
  create: ["creating", "created"],
  update: ["updating", "updated"],
  replace: ["replacing", "replaced"],
  delete: ["destroying", "destroyed"],
  adopt: ["adopting", "adopted"],
  move: ["moving", "moved"],
};

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)}s` : `${(ms / 1000).toFixed(1)}s`;
}

/**
 * Apply progress. In a terminal: a live spinner naming every resource in flight with its elapsed
 * time, and a permanent line as each finishes. Elsewhere (CI, pipes): plain timestamped lines.
 */
export function progressSink(output: Output): { sink: EventSink; stop(): void } {
  const inFlight = new Map<string, { action: string; started: number; message?: string }>();
  const line = (text: string) => {
    if (live) output.out(text);
    else output.out(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
  };
  // A terminal that reports no width (a bare pty, `script`) sends ora's line clearing into an
  // endless loop: treat it as no terminal.
  const live = output.isTTY && (process.stdout.columns ?? 0) > 0;
  const spinner = live ? ora({ stream: process.stdout, discardStdin: false }) : undefined;
  const refresh = () => {
    if (!spinner) return;
    const now = Date.now();
    const parts = [...inFlight.entries()].map(
      ([address, s]) =>
        `${address}: ${VERB[s.action]?.[0] ?? s.action}${s.message ? ` (${s.message})` : ""} ${seconds(now - s.started)}`,
    );
    if (parts.length === 0) spinner.stop();
    else {
      spinner.text = parts.join("\n  ");
      if (!spinner.isSpinning) spinner.start();
    }
  };
  const timer = spinner ? setInterval(refresh, 250) : undefined;
  const permanent = (text: string) => {
    if (spinner?.isSpinning) {
      spinner.stop();
      line(text);
      refresh();
    } else line(text);
  };
  const p = output.palette;
  const sink: EventSink = (event: ApplyEvent) => {
    switch (event.type) {
      case "start":
        inFlight.set(event.address, { action: event.action, started: Date.now() });
        if (!spinner) line(`${event.address}: ${VERB[event.action]?.[0] ?? event.action}…`);
        break;
      case "progress": {
        const state = inFlight.get(event.address);
        if (state) state.message = event.message;
        if (!spinner)
          line(
            `${event.address}: ${event.message}${state ? ` [${seconds(Date.now() - state.started)}]` : ""}`,
          );
        break;
      }
      case "done":
        inFlight.delete(event.address);
        permanent(
          p.add(`${event.address}: ${VERB[event.action]?.[1] ?? event.action} (${seconds(event.elapsedMs)})`),
        );
        break;
      case "failed":
        inFlight.delete(event.address);
        permanent(p.remove(`${event.address}: failed after ${seconds(event.elapsedMs)}: ${event.error}`));
        break;
      case "skipped":
        permanent(p.note(`${event.address}: skipped (${event.because})`));
        break;
    }
    refresh();
  };
  return {
    sink,
    stop() {
      if (timer) clearInterval(timer);
      spinner?.stop();
    },
  };
}
