import type { Step, StepContext } from "../../src/index.js";
import { sleep } from "../../src/util/sleep.js";

/** How a test step behaves: fail its first `failTimes` attempts (Infinity: always), wait `delayMs`, honour the signal. */
export interface Behavior {
  failTimes?: number;
  delayMs?: number;
}

/** Records of what ran: start and end times (ms since the probe was made), and how many ran at once. */
export class Probe {
  readonly started: string[] = [];
  readonly ended: string[] = [];
  readonly startAt = new Map<string, number>();
  readonly endAt = new Map<string, number>();
  readonly attempts = new Map<string, number>();
  running = 0;
  maxRunning = 0;
  private readonly t0 = performance.now();

  /** A `run` body for step `name` with behavior `b`. */
  body(name: string, b: Behavior = {}): (inputs: unknown, ctx: StepContext) => Promise<Array<{ step: string }>> {
    return async (_inputs, ctx) => {
      const attempt = (this.attempts.get(name) ?? 0) + 1;
      this.attempts.set(name, attempt);
      this.started.push(name);
      this.startAt.set(name, performance.now() - this.t0);
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      try {
        if (b.delayMs) await sleep(b.delayMs, ctx.signal);
        if (attempt <= (b.failTimes ?? 0)) throw new Error(`${name} failed on attempt ${attempt}`);
        return [{ step: name }];
      } finally {
        this.running--;
        this.ended.push(name);
        this.endAt.set(name, performance.now() - this.t0);
      }
    };
  }
}

/** A trivial run step: reads `inputs`, outputs the dataset named after the step. */
export function node(probe: Probe, name: string, inputs: string[] = [], b: Behavior = {}): Step {
  return { name, inputs, outputs: [name], run: probe.body(name, b) };
}

/**
 * A pipeline with every kind of outcome, run with continue-on-error and one retry: `load` (layer "ingest")
 * succeeds, `flaky` succeeds at its second attempt, `broken` fails both, `after` is blocked; `extra` steps
 * are added reading `load`.
 */
export function mixedOutcomes(probe: Probe, extra: string[] = []): { name: string; steps: Step[]; continueOnError: true; maxRetries: number; retry: { delayMs: number; jitter: number } } {
  const steps = [
    { ...node(probe, "load"), layer: "ingest" },
    node(probe, "flaky", ["load"], { failTimes: 1 }),
    node(probe, "broken", ["load"], { failTimes: Infinity }),
    node(probe, "after", ["broken", "flaky"]),
    ...extra.map((name) => node(probe, name, ["load"])),
  ];
  return { name: "snap", steps, continueOnError: true, maxRetries: 1, retry: { delayMs: 2, jitter: 0 } };
}

export type ShapeName = "chain" | "diamond" | "fan" | "wide";

/** The shared DAG shapes, built from tiny steps; `behave` overrides single steps. */
export function shape(kind: ShapeName, probe: Probe, behave: Record<string, Behavior> = {}): Step[] {
  const n = (name: string, inputs: string[] = []): Step => node(probe, name, inputs, behave[name]);
  switch (kind) {
    case "chain":
      return [n("a"), n("b", ["a"]), n("c", ["b"]), n("d", ["c"])];
    case "diamond":
      return [n("a"), n("b", ["a"]), n("c", ["a"]), n("d", ["b", "c"])];
    case "fan":
      return [n("src"), n("m1", ["src"]), n("m2", ["src"]), n("m3", ["src"]), n("m4", ["src"]), n("sink", ["m1", "m2", "m3", "m4"])];
    case "wide":
      return Array.from({ length: 12 }, (_, i) => n(`w${String(i).padStart(2, "0")}`));
  }
}

/** A logger that keeps warnings instead of printing them. */
export function quietLogger(): { warnings: string[]; warn(message: string): void } {
  const warnings: string[] = [];
  return { warnings, warn: (message) => warnings.push(message) };
}
