// Records argv[4] runs, in two concurrent halves, into the history at argv[2], as pipeline `writer-<argv[3]>`,
// and prints one JSON line: when it started and ended, and each run's id, event count and warnings.
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Orchestrator, type Step } from "../../src/index.js";
import { sleep } from "../../src/util/sleep.js";
import { runPolicyOf } from "../../src/history/run-policy.js";
import { HistoryBridge } from "./history-bridge.js";

const [dbPath, label, count] = process.argv.slice(2) as [string, string, string];

/** a; b fails once then succeeds; c always fails; d is blocked by c. */
function steps(): Step[] {
  let bTries = 0;
  return [
    { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
    { name: "b", inputs: ["a"], outputs: ["b"], run: ({ a }) => { if (++bTries === 1) throw new Error("flaky"); return a; } },
    { name: "c", inputs: ["a"], outputs: ["c"], run: () => { throw new Error("broken"); } },
    { name: "d", inputs: ["c"], outputs: ["d"], run: ({ c }) => c },
  ];
}

async function recordOne(): Promise<{ runId: string; events: number; warnings: string[] }> {
  const options = { continueOnError: true, retry: { maxRetries: 1, delayMs: 1, jitter: 0 }, cache: false, checkpoint: false } as const;
  const bridge = new HistoryBridge({ dbPath, policy: runPolicyOf(options) });
  const orchestrator = new Orchestrator({ name: `writer-${label}`, steps: steps(), eventBus: bridge.bus, logger: { warn: () => undefined }, ...options });
  try {
    const result = await orchestrator.execute();
    await bridge.finish(result);
    return { runId: result.runId, events: bridge.events.length, warnings: bridge.warnings };
  } finally {
    await orchestrator.close();
  }
}

/**
 * Marks `stage` as reached by this writer and waits until the other writer has reached it too (both write
 * `<stage>-<label>` files beside the database). Two stages make the writers overlap whatever the machine's
 * speed: each records its second half only after the other has recorded its first.
 */
async function barrier(stage: string): Promise<void> {
  const dir = dirname(dbPath);
  writeFileSync(join(dir, `${stage}-${label}`), "");
  while (readdirSync(dir).filter((f) => f.startsWith(`${stage}-`)).length < 2) await sleep(10);
}

const half = Math.ceil(Number(count) / 2);
await barrier("ready");
const started = Date.now();
const runs = await Promise.all(Array.from({ length: half }, () => recordOne()));
await barrier("half");
runs.push(...(await Promise.all(Array.from({ length: Number(count) - half }, () => recordOne()))));
process.stdout.write(`${JSON.stringify({ label, started, ended: Date.now(), runs })}\n`);
