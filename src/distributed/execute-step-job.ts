import { storeOutput } from "../cache/store-output.js";
import { DataMap } from "../data/data-map.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import type { DuckDBEngine } from "../engines/duckdb/duckdb-engine.js";
import { LineaError } from "../errors/linea-error.js";
import { RunEvents } from "../events/run-events.js";
import { executeBody } from "../execute/execute-body.js";
import type { RunContext } from "../execute/run-context.js";
import { RunRuntime } from "../execute/run-runtime.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { StepSpec } from "../step/step-spec.js";
import type { SharedObjects } from "../stores/shared-objects.js";
import { errorMessage } from "../util/error-message.js";
import { loadRef, toDataRef } from "./data-ref.js";
import type { DataRef, StepJob, StepJobResult } from "./step-job.js";

/** What a worker thread keeps between jobs: its pipeline, its DuckDB, the shared store. */
export interface StepHost {
  readonly planned: PlannedPipeline;
  readonly specs: ReadonlyMap<string, StepSpec>;
  readonly engine: () => Promise<DuckDBEngine>;
  readonly objects: SharedObjects;
  readonly baseDir: string;
  /** Names this worker in results (host and pid). */
  readonly worker: string;
}

/**
 * Runs one job on a worker: fetches its inputs from the shared store (through the local pull-through
 * cache), runs the step's body on this worker's DuckDB, stores each output in the shared store, and only
 * then returns the outputs' references. A failing step is a `failed` result, not a thrown error.
 */
export async function executeStepJob(job: StepJob, host: StepHost, signal: AbortSignal): Promise<StepJobResult> {
  const started = performance.now();
  const known = host.specs.get(job.step);
  if (known === undefined) return { kind: "refused", reason: `this worker's pipeline has no step "${job.step}"`, worker: host.worker };
  const spec: StepSpec = { ...known, params: job.params };
  const runtime = new RunRuntime(host.engine);
  try {
    const dataMap = new DataMap();
    for (const input of spec.inputs) {
      const ref = job.inputs[input.dataset];
      if (ref === undefined) throw new Error(`the job carries no reference for input "${input.dataset}"`);
      dataMap.set(DatasetHandle.stored(input.dataset, formOf(ref), () => loadRef(ref, host.objects, runtime), probes(ref), runtime, ref.object.sha256));
    }
    const rc: RunContext = {
      runId: job.runId, runAttempt: job.runAttempt, pipelineName: job.pipelineName, planned: host.planned, dataMap, runtime, signal,
      settings: { maxWorkers: 1, continueOnError: false, retry: {}, timeoutMs: job.timeoutMs, baseDir: host.baseDir },
      events: new RunEvents({ pipelineName: job.pipelineName, runId: job.runId, batchRunId: host.planned.plan.batchRunId }, () => undefined),
      warn: () => undefined,
    };
    const handles = await executeBody(spec, rc, job.try, signal);
    const outputs: Record<string, DataRef> = {};
    for (const handle of handles) {
      const stored = await storeOutput(handle, "remote", host.objects.local);
      if (stored.data.kind !== "object") throw new Error(`output "${handle.name}" could not be stored as an object`);
      await host.objects.publish(stored.data.object);
      outputs[handle.name] = toDataRef(stored, stored.data.object);
    }
    return { kind: "success", outputs, worker: host.worker, durationMs: performance.now() - started };
  } catch (error) {
    const code = error instanceof LineaError ? error.code : undefined;
    return {
      kind: "failed", worker: host.worker, durationMs: performance.now() - started,
      error: { name: (error as Error)?.name ?? "Error", message: errorMessage(error), code },
    };
  } finally {
    await runtime.dispose().catch(() => undefined);
  }
}

function formOf(ref: DataRef): "duckdb" | "arrow" {
  return ref.object.format === "arrow" ? "arrow" : "duckdb";
}

function probes(ref: DataRef) {
  return { rowCount: ref.rowCount, schema: ref.schema, sample: ref.sample };
}
