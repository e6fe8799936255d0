import { inlineOutput, storeOutput } from "../cache/store-output.js";
import type { StoredOutput } from "../cache/stored-output.js";
import { DataMap } from "../data/data-map.js";
import type { DuckDBEngine } from "../engines/duckdb/duckdb-engine.js";
import { RunEvents } from "../events/run-events.js";
import { InProcessStepExecutor, taskErrorOf } from "../execute/in-process-step-executor.js";
import type { RunContext } from "../execute/run-context.js";
import { RunRuntime } from "../execute/run-runtime.js";
import type { DataRef, StepTask, StepTaskResult } from "../execute/step-executor.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { SharedObjects } from "../stores/shared-objects.js";
import { redactRows, takeSnapshot, type Snapshot } from "../track/snapshot.js";
import { nowIso } from "../util/clock.js";
import { sharedHandle } from "./data-ref.js";
import type { StepJob } from "./step-job.js";

/** What a worker thread keeps between jobs: its pipeline, its DuckDB, the shared store. */
export interface StepHost {
  readonly planned: PlannedPipeline;
  readonly engine: () => Promise<DuckDBEngine>;
  readonly objects: SharedObjects;
  readonly baseDir: string;
}

/** The plan with one step's params replaced by the job's (params travel with each job, so `--param` reaches workers). */
function withParams(planned: PlannedPipeline, job: StepJob): PlannedPipeline {
  const specs = planned.dag.specs.map((s) => (s.index === job.step.index ? { ...s, params: job.params } : s));
  return { ...planned, dag: { ...planned.dag, specs } };
}

/**
 * Runs one job on a worker: its inputs as handles of objects of the shared store (fetched through the local
 * pull-through cache when the body reads them), the attempt through the same {@link InProcessStepExecutor}
 * a local run uses (body, timeout, checks, column lineage) on this worker's DuckDB; then each output is
 * stored in the shared store, and only then is the result returned, with `stored` references, snapshots
 * and samples redacted here. A failing step is a result, never a thrown error.
 */
export async function executeStepJob(job: StepJob, host: StepHost, signal: AbortSignal): Promise<StepTaskResult> {
  const startTime = nowIso();
  const started = performance.now();
  const runtime = new RunRuntime(host.engine);
  try {
    const planned = withParams(host.planned, job);
    const spec = planned.dag.specs[job.step.index];
    if (spec === undefined || spec.name !== job.step.name) throw new Error(`this worker's pipeline has no step ${JSON.stringify(job.step.name)} at index ${job.step.index}`);
    const dataMap = new DataMap();
    const inputs: Record<string, DataRef> = {};
    for (const [local, input] of Object.entries(job.inputs)) {
      dataMap.set(sharedHandle(input.dataset, input.stored, host.objects, runtime));
      inputs[local] = { kind: "memory", dataset: input.dataset };
    }
    const rc: RunContext = {
      runId: job.runId, runAttempt: job.runAttempt, pipelineName: job.pipelineName, planned, dataMap, runtime, signal,
      settings: { maxWorkers: 1, continueOnError: false, retry: {}, timeoutMs: job.timeoutMs, baseDir: host.baseDir },
      events: new RunEvents({ pipelineName: job.pipelineName, runId: job.runId, batchRunId: planned.plan.batchRunId }, () => undefined),
      warn: () => undefined,
    };
    const task: StepTask = {
      runId: job.runId, runAttempt: job.runAttempt, pipelineName: job.pipelineName, batchRunId: planned.plan.batchRunId,
      step: job.step, attempt: job.try, params: job.params, timeoutMs: job.timeoutMs, inputs,
      ...(job.dataVersions !== undefined ? { dataVersions: job.dataVersions } : {}),
    };
    const { thrown: _thrown, ...result } = await new InProcessStepExecutor(rc).run(task, signal);
    if (result.outcome !== "success") return result;
    const redact = new Set(job.redact.map((c) => c.toLowerCase()));
    const outputs: Record<string, DataRef> = {};
    const snapshots: Record<string, Snapshot> = {};
    for (const name of Object.keys(result.outputs)) {
      const handle = dataMap.handle(name);
      if (handle === undefined) throw new Error(`output ${JSON.stringify(name)} is not in the worker's data map`);
      const snapshot = await takeSnapshot(handle, job.sampleRows, redact);
      snapshots[name] = snapshot;
      // A small output held as rows or a value travels inline, in the result itself (checksummed): no object
      // file, no DuckDB, no round trip through the shared store. Not one with a redacted column: results stay
      // in Redis for a while, and redacted values never go there. Anything else is stored and published first.
      const version = job.dataVersions?.[name] ?? "remote";
      const travels = !snapshot.schema.some((c) => redact.has(c.name.toLowerCase()));
      const stored = (travels ? await inlineOutput(handle, version) : undefined) ?? (await storeOutput(handle, version, host.objects.local));
      if (stored.data.kind === "object") await host.objects.publish(stored.data.object);
      else if (stored.data.kind !== "inline") throw new Error(`output ${JSON.stringify(name)} could not be stored as an object`);
      const redacted: StoredOutput = { ...stored, sample: redactRows(stored.sample, redact) };
      outputs[name] = { kind: "stored", dataset: name, stored: redacted };
    }
    return { ...result, outputs, snapshots, timings: { ...result.timings, endTime: nowIso(), durationMs: performance.now() - started } };
  } catch (error) {
    return { outcome: "failed", outputs: {}, rowCounts: {}, checks: [], error: taskErrorOf(error), timings: { startTime, endTime: nowIso(), durationMs: performance.now() - started } };
  } finally {
    await runtime.dispose().catch(() => undefined);
  }
}
