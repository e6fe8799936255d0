// The queue-backed executor against the test Redis, with a BullMQ worker of the test's own standing in for
// `linea worker` (so the test decides when and how often a job is reported): a job is added once however
// often its attempt is submitted, its result is accepted once, and a result that comes after its attempt
// was given up changes nothing.
import { Worker, type Job } from "bullmq";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { DataMap } from "../../src/data/data-map.js";
import { QueueStepExecutor } from "../../src/distributed/queue-step-executor.js";
import type { StepJob, StepJobResult } from "../../src/distributed/step-job.js";
import { RunRuntime } from "../../src/execute/run-runtime.js";
import type { StepTask } from "../../src/execute/step-executor.js";
import { normalizeStep } from "../../src/step/normalize-step.js";
import type { Step } from "../../src/index.js";
import { describeWithRedis, REDIS_URL } from "../helpers/services.js";
import { tempDir } from "../helpers/temp-dir.js";
import { uniqueQueue } from "./workers.js";

const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

const SHA = "a".repeat(64);

function success(): StepJobResult {
  const stored = { dataVersion: "v", data: { kind: "object" as const, object: { sha256: SHA, format: "parquet" as const, bytes: 10 } }, rowCount: 3, schema: [{ name: "n", type: "INTEGER" }], sample: [] };
  return {
    kind: "ended", worker: "test",
    result: { outcome: "success", outputs: { made: { kind: "stored", dataset: "made", stored } }, rowCounts: { made: 3 }, checks: [], timings: { startTime: "", endTime: "", durationMs: 1 } },
  };
}

async function setUp() {
  const dir = tempDir("linea-queue-");
  mkdirSync(join(dir, "store"));
  const queueName = uniqueQueue("executor");
  const specs = [normalizeStep({ name: "make", outputs: ["made"], run: () => [] } as Step, 0)];
  const dataMap = new DataMap();
  const executor = await QueueStepExecutor.open({
    queue: REDIS_URL as string, queueName, store: join(dir, "store"), baseDir: dir, localCacheDir: join(dir, "cache"),
    pipelineName: "p", specs, runId: `run-${queueName}`, runAttempt: 1, dataMap, runtime: new RunRuntime(() => Promise.reject(new Error("no engine here"))),
  });
  closing.push(() => executor.close());
  const seen: string[] = [];
  let answer: (job: Job<StepJob>) => Promise<StepJobResult> = async () => success();
  const worker = new Worker<StepJob, StepJobResult>(queueName, async (job) => {
    seen.push(job.id as string);
    return answer(job);
  }, { connection: { url: REDIS_URL as string }, concurrency: 4 });
  closing.push(() => worker.close(true));
  const task = (attempt: number): StepTask => ({
    runId: `run-${queueName}`, runAttempt: 1, pipelineName: "p", batchRunId: "b", step: { index: 0, name: "make" }, attempt, params: {}, timeoutMs: undefined, inputs: {},
  });
  return { executor, seen, dataMap, task, answer: (a: typeof answer) => (answer = a) };
}

describeWithRedis("QueueStepExecutor", () => {
  it("adds an attempt's job once however often it is submitted, and every submission gets the one result", async () => {
    const t = await setUp();
    const results = await Promise.all([t.executor.run(t.task(1), new AbortController().signal), t.executor.run(t.task(1), new AbortController().signal)]);
    const again = await t.executor.run(t.task(1), new AbortController().signal); // the job is there, completed
    expect(t.seen).toEqual([`${t.task(1).runId}|1|make|1`]);
    for (const result of [...results, again]) expect(result.outcome).toBe("success");
    expect(t.dataMap.handle("made")?.version).toBe("v");
  });

  it("a result that comes after its attempt was given up (interrupted) is ignored", async () => {
    const t = await setUp();
    let finish!: () => void;
    const taken = new Promise<void>((resolveTaken) => t.answer(async () => {
      resolveTaken();
      await new Promise<void>((resolve) => (finish = resolve));
      return success();
    }));
    const controller = new AbortController();
    const running = t.executor.run(t.task(1), controller.signal);
    await taken;
    controller.abort(new Error("Ctrl-C"));
    const result = await running;
    expect(result.outcome).toBe("interrupted");
    finish();
    // The late success is reported to Redis; the executor's next poll sees nothing waiting for it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(t.dataMap.handle("made")).toBeUndefined();
    // Try 2 is another job, with its own result.
    t.answer(async () => success());
    expect((await t.executor.run(t.task(2), new AbortController().signal)).outcome).toBe("success");
    expect(t.seen).toHaveLength(2);
  });
});
