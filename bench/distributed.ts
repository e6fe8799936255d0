// `npm run bench -- distributed`: 64 independent steps that each wait 100 ms, run by a coordinator (this
// process) on 2 `linea worker` processes with concurrency 8 each, through BullMQ on Redis
// (LINEA_BENCH_REDIS_URL, else LINEA_TEST_REDIS_URL, else redis://127.0.0.1:6379) and a shared folder.
// The ideal is 64 / 16 waves of 100 ms = 400 ms. The per-step dispatch overhead is measured on a chain of
// 16 dependent steps that do nothing (each starts when the one before it is reported): the chain's time
// divided by its length, i.e. one step's round trip (queued, taken, run on a worker thread, its output
// stored, reported, registered by the coordinator). The overhead past the ideal per wave of 16 is shown too.
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
const CHAIN = 16;

const PIPELINE = `
import { setTimeout as sleep } from "node:timers/promises";
export const name = "bench_distributed";
export const steps = Array.from({ length: ${STEPS} }, (_, i) => ({
  name: "wait" + i, outputs: ["w" + i], params: { i },
  run: async (_inputs, ctx) => {
    await sleep(${WAIT_MS});
    return [{ i: ctx.params.i }];
  },
}));
`;

const CHAIN_PIPELINE = `
export const name = "bench_distributed_chain";
export const steps = Array.from({ length: ${CHAIN} }, (_, i) => ({
  name: "link" + i, inputs: i === 0 ? [] : ["l" + (i - 1)], outputs: ["l" + i], params: { i },
  run: (_inputs, ctx) => [{ i: ctx.params.i }],
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
  const chainPath = join(dir, "chain.mts");
  writeFileSync(chainPath, CHAIN_PIPELINE);
  const queueName = `linea-bench.${process.pid}.${Date.now().toString(36)}`;
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(dir, pipelinePath, queue, queueName, store));
    workers.push(await startWorker(dir, chainPath, queue, `${queueName}.chain`, store));
    const pipeline = await loadPipeline(pipelinePath, { cwd: dir });
    const orchestrator = new Orchestrator({
      name: pipeline.name, steps: pipeline.steps, baseDir: dir, maxWorkers: STEPS, cache: false, checkpoint: false, historyDb: false,
      queue, queueName, store, logger: { warn: () => undefined },
    });
    const totals: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const result = await orchestrator.execute();
      if (result.status !== "success") throw new Error(`distributed benchmark run failed: ${JSON.stringify(Object.values(result.nodes).find((n) => n.status !== "success")?.error?.message)}`);
      if (run === 0) continue; // warm-up: the workers' threads load the pipeline and open DuckDB on their first jobs
      totals.push(result.durationMs);
    }
    await orchestrator.close();
    const chainPipeline = await loadPipeline(chainPath, { cwd: dir });
    const chain = new Orchestrator({
      name: chainPipeline.name, steps: chainPipeline.steps, baseDir: dir, cache: false, checkpoint: false, historyDb: false,
      queue, queueName: `${queueName}.chain`, store, logger: { warn: () => undefined },
    });
    const links: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const result = await chain.execute();
      if (result.status !== "success") throw new Error("distributed chain benchmark run failed");
      if (run > 0) links.push(result.durationMs / CHAIN);
    }
    await chain.close();
    links.sort((a, b) => a - b);
    const link = links[Math.floor(links.length / 2)] as number;
    totals.sort((a, b) => a - b);
    const total = totals[Math.floor(totals.length / 2)] as number;
    printLines(`distributed: ${STEPS} steps of ${WAIT_MS} ms on ${WORKERS} workers x concurrency ${CONCURRENCY} (median of ${RUNS} runs, load ${loadavg().map((l) => l.toFixed(2)).join(" ")})`, [
      { name: "total", value: `${total.toFixed(0)} ms (ideal ${IDEAL_MS} ms; runs ${totals.map((t) => t.toFixed(0)).join(", ")})` },
      { name: "total / ideal", value: `${(total / IDEAL_MS).toFixed(2)}x`, target: "<= 1.3x", ok: total / IDEAL_MS <= 1.3 },
      { name: "overhead past the ideal, per wave of 16 steps", value: `${((total - IDEAL_MS) / (STEPS / (WORKERS * CONCURRENCY))).toFixed(0)} ms` },
      { name: "per-step dispatch overhead", value: `${link.toFixed(1)} ms (median of ${RUNS} runs of a chain of ${CHAIN} dependent empty steps, its time / ${CHAIN})` },
    ]);
  } finally {
    for (const worker of workers) worker.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}
