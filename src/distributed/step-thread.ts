// A worker thread: loads the pipeline once, opens its own DuckDB, and runs one job at a time
// as the main thread asks. The main thread hosts BullMQ, so no step body, however long it blocks this
// thread, can starve BullMQ's lock renewal.
import { parentPort, workerData } from "node:worker_threads";
import { DuckDBEngine } from "../engines/duckdb/duckdb-engine.js";
import { loadPipeline } from "../pipeline-file/load-pipeline.js";
import { buildPlan } from "../plan/build-plan.js";
import { normalizeStep } from "../step/normalize-step.js";
import { openBlobStore } from "../stores/open-blob-store.js";
import { SharedObjects } from "../stores/shared-objects.js";
import { executeStepJob, type StepHost } from "./execute-step-job.js";
import type { StepJob } from "./step-job.js";
import type { ThreadReply, ThreadRequest, StepThreadData } from "./step-thread-pool.js";

const data = workerData as StepThreadData;
const port = parentPort;
if (port === null) throw new Error("step-thread runs as a worker thread");

async function openHost(): Promise<StepHost> {
  const pipeline = await loadPipeline(data.pipelinePath, { cwd: data.cwd });
  const specs = pipeline.steps.map((step, index) => normalizeStep(step, index));
  const produced = new Set(specs.flatMap((s) => s.outputs));
  const sources = [...new Set(specs.flatMap((s) => s.inputs.map((i) => i.dataset)).filter((d) => !produced.has(d)))];
  const engine = DuckDBEngine.open(); // opened now, not on the first job
  engine.catch(() => undefined);
  return {
    planned: buildPlan(specs, { pipelineName: pipeline.name, sources }),
    engine: () => engine,
    objects: new SharedObjects(openBlobStore(data.store, data.cwd), data.localCacheDir),
    baseDir: pipeline.options.baseDir ?? data.cwd,
  };
}

const host = openHost();
host.catch(() => undefined);

port.on("message", (message: ThreadRequest) => {
  void (async () => {
    const controller = new AbortController();
    try {
      const result = await executeStepJob(message.job as StepJob, await host, controller.signal);
      port.postMessage({ kind: "result", jobId: message.jobId, result } satisfies ThreadReply);
    } catch (error) {
      port.postMessage({ kind: "crash", jobId: message.jobId, message: (error as Error)?.stack ?? String(error) } satisfies ThreadReply);
    }
  })();
});
