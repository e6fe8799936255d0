// A pipeline for the failure tests, written into each test's project folder. Its `gate` step tells that it
// started (a file `signals/started.<step>.<pid>.<attempt>`) and then waits until the test creates
// `signals/release`, so a test can kill a worker or a coordinator at a known point. `stuck` blocks its
// thread (as a CPU-bound body would) until its timeout stops it.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PIPELINE = `
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const signals = new URL("./signals/", import.meta.url).pathname;

export const name = "failures";

export const steps = [
  { name: "numbers", outputs: ["numbers"], sql: "SELECT range::INTEGER AS n FROM range(10)" },
  {
    name: "gate", inputs: ["numbers"], outputs: ["gated"],
    run: async ({ numbers }, ctx) => {
      mkdirSync(signals, { recursive: true });
      writeFileSync(signals + "started." + ctx.stepName + "." + process.pid + "." + ctx.attempt, "");
      while (!existsSync(signals + "release")) {
        if (ctx.signal.aborted) throw new Error("gate stopped: " + String(ctx.signal.reason));
        await sleep(25);
      }
      return numbers;
    },
  },
  { name: "doubled", inputs: { g: "gated" }, outputs: ["doubled"], sql: "SELECT n * 2 AS n2 FROM g" },
  { name: "save", inputs: ["doubled"], write: "out/doubled.csv", placement: "local" },
];
`;

const STUCK = `
const signals = new URL("./signals/", import.meta.url).pathname;
import { mkdirSync, writeFileSync } from "node:fs";

export const name = "stuck";

export const steps = [
  {
    name: "stuck", outputs: ["never"], timeoutMs: 1500,
    run: () => {
      mkdirSync(signals, { recursive: true });
      writeFileSync(signals + "started.stuck." + process.pid, "");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000); // blocks the thread, ignores its signal
      return [{ n: 1 }];
    },
  },
];
`;

/** Writes the failure pipeline (`failures.mts`) and the stuck one (`stuck.mts`) into `dir`. */
export function writeFailurePipelines(dir: string): { failures: string; stuck: string } {
  mkdirSync(join(dir, "signals"), { recursive: true });
  mkdirSync(join(dir, "out"), { recursive: true });
  mkdirSync(join(dir, "store"), { recursive: true });
  writeFileSync(join(dir, "failures.mts"), PIPELINE);
  writeFileSync(join(dir, "stuck.mts"), STUCK);
  return { failures: join(dir, "failures.mts"), stuck: join(dir, "stuck.mts") };
}

/** Resolves with the first `signals/started.<step>.*` file's name parts once one exists. */
export async function waitForStart(dir: string, step: string): Promise<{ pid: number; file: string }> {
  for (;;) {
    const file = readdirSync(join(dir, "signals")).find((f) => f.startsWith(`started.${step}.`));
    if (file !== undefined) return { pid: Number(file.split(".")[2]), file };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The step's start signals so far. */
export function starts(dir: string, step: string): string[] {
  return readdirSync(join(dir, "signals")).filter((f) => f.startsWith(`started.${step}.`));
}

/** Lets every waiting `gate` step go on. */
export function release(dir: string): void {
  writeFileSync(join(dir, "signals", "release"), "");
}
