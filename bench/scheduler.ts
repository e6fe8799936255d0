import { Orchestrator, type Step } from "../src/index.js";
import { sleep } from "../src/util/sleep.js";
import { wideDag } from "./dag.js";
import { median, printLines, timed, type BenchLine } from "./lib.js";


async function schedulerOverhead(count: number, enableTracker: boolean): Promise<number> {
  const steps = wideDag(count);
  const ms = await median(5, async () => {
    // Scheduler overhead alone: no per-node disk writes (the cache and checkpoints are benchmarked on real data).
    const orchestrator = new Orchestrator({ name: "bench", steps, enableTracker, maxWorkers: 4, cache: false, checkpoint: false, historyDb: false });
    orchestrator.plan();
    const result = await orchestrator.execute();
    if (result.status !== "success") throw new Error("scheduler benchmark run failed");
  });
  return (ms * 1000) / count;
}

async function concurrency(): Promise<{ ms: number; ratio: number }> {
  const steps: Step[] = Array.from({ length: 64 }, (_, i) => ({
    name: `wait${i}`, outputs: [`w${i}`], run: async (_inputs, ctx) => {
      await sleep(100, ctx.signal);
      return [{ i }];
    },
  }));
  const orchestrator = new Orchestrator({ name: "bench", steps, maxWorkers: 64, cache: false, checkpoint: false, historyDb: false });
  await orchestrator.execute(); // warm up
  const { ms } = await timed(() => orchestrator.execute());
  return { ms, ratio: ms / 100 };
}

export async function runSchedulerBench(): Promise<BenchLine[]> {
  const tracked = await schedulerOverhead(10_000, true);
  const untracked = await schedulerOverhead(10_000, false);
  const wait = await concurrency();
  const lines: BenchLine[] = [
    { name: "10,000-step DAG (fan-in up to 3), plan + execute, tracker on (cache and checkpoints off)", value: `${tracked.toFixed(1)} µs/node`, target: "< 50 µs/node", ok: tracked < 50 },
    { name: "same, tracker off", value: `${untracked.toFixed(1)} µs/node` },
    { name: "64 steps × 100 ms wait, maxWorkers 64", value: `${wait.ms.toFixed(0)} ms = ${wait.ratio.toFixed(2)}× of 100 ms`, target: "≤ 1.2×", ok: wait.ratio <= 1.2 },
  ];
  printLines("Scheduler (issue 1/6)", lines);
  return lines;
}
