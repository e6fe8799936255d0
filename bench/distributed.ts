// `npm run bench -- distributed`: 64 independent steps that each wait 100 ms, run by a coordinator (this
// process) on 2 `linea worker` processes with concurrency 8 each, through BullMQ on Redis
// (LINEA_BENCH_REDIS_URL, else LINEA_TEST_REDIS_URL, else redis://127.0.0.1:6379) and a shared folder.
// The ideal is 64 / 16 waves of 100 ms = 400 ms; the per-step dispatch overhead is a step's time as the
// coordinator saw it (queued, taken, run on a worker thread, stored, reported) minus its 100 ms wait.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Orchestrator } from "../src/index.js";
import { loadPipeline } from "../src/pipeline-file/load-pipeline.js";
import { printLines } from "./lib.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STEPS = 64;
const WORKERS = 2;
const CONCURRENCY = 8;
const WAIT_MS = 100;
const IDEAL_MS = (STEPS / (WORKERS * CONCURRENCY)) * WAIT_MS;
const RUNS = 5;

const PIPELINE = `
import { setTimeout as sleep } from "node:timers/promises";
export const name = "bench_distributed";
export const steps = Array.from({ length: ${STEPS} }, (_, i) => ({
  name: "wait" + i, outputs: ["w" + i], params: { i },
  run: async (_inputs, ctx) => {
    await sleep(${WAIT_MS});
    return ctx.params.i;
  },
}));
`;

function startWorker(dir: string, pipeline: string, queue: string, queueName: string, store: string): Promise<ChildProcess> {
  const tsx = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, [
    "--import", tsx, join(ROOT, "test/distributed/worker-child.ts"), pipeline,
    "--queue", queue, "--queue-name", queueName, "--store", store, "--concurrency", String(CONCURRENCY),
  ], { cwd: dir, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json") } });
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (/ready/.test(log)) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`worker exited (${code}): ${log}`)));
  });
}

export async function runDistributedBench(): Promise<void> {
  const queue = process.env.LINEA_BENCH_REDIS_URL ?? process.env.LINEA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  const dir = mkdtempSync(join(tmpdir(), "linea-bench-dist-"));
  const store = join(dir, "store");
  mkdirSync(store);
  const pipelinePath = join(dir, "bench.mts");
  writeFileSync(pipelinePath, PIPELINE);
  const queueName = `linea-bench.${process.pid}.${Date.now().toString(36)}`;
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(dir, pipelinePath, queue, queueName, store));
    const pipeline = await loadPipeline(pipelinePath, { cwd: dir });
    const orchestrator = new Orchestrator({
      name: pipeline.name, steps: pipeline.steps, baseDir: dir, maxWorkers: STEPS, cache: false, checkpoint: false, historyDb: false,
      queue, queueName, store, logger: { warn: () => undefined },
    });
    const totals: number[] = [];
    const overheads: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const result = await orchestrator.execute();
      if (result.status !== "success") throw new Error(`distributed benchmark run failed: ${JSON.stringify(Object.values(result.nodes).find((n) => n.status !== "success")?.error?.message)}`);
      if (run === 0) continue; // warm-up: the workers' threads load the pipeline and open DuckDB on their first jobs
      totals.push(result.durationMs);
      for (const node of Object.values(result.nodes)) overheads.push(node.durationMs - WAIT_MS);
    }
    await orchestrator.close();
    totals.sort((a, b) => a - b);
    overheads.sort((a, b) => a - b);
    const total = totals[Math.floor(totals.length / 2)] as number;
    const mean = overheads.reduce((a, b) => a + b, 0) / overheads.length;
    const p95 = overheads[Math.floor(overheads.length * 0.95)] as number;
    printLines(`distributed: ${STEPS} steps of ${WAIT_MS} ms on ${WORKERS} workers x concurrency ${CONCURRENCY} (median of ${RUNS} runs, load ${loadavg().map((l) => l.toFixed(2)).join(" ")})`, [
      { name: "total", value: `${total.toFixed(0)} ms (ideal ${IDEAL_MS} ms; runs ${totals.map((t) => t.toFixed(0)).join(", ")})` },
      { name: "total / ideal", value: `${(total / IDEAL_MS).toFixed(2)}x`, target: "<= 1.3x", ok: total / IDEAL_MS <= 1.3 },
      { name: "per-step dispatch overhead", value: `mean ${mean.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (a step's time at the coordinator minus its ${WAIT_MS} ms wait)` },
    ]);
  } finally {
    for (const worker of workers) worker.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}
