import type { DatasetHandle } from "../../data/dataset-handle.js";
import type { EngineStep } from "../../engines/engine.js";
import type { StepContext } from "../../step/step.js";
import type { StepBody, StepSpec } from "../../step/step-spec.js";
import { q } from "../../util/quote.js";
import { collectOutputs } from "../collect-outputs.js";
import type { RunContext } from "../run-context.js";
import { keyedRecord } from "../../util/keyed-record.js";

/**
 * Runs a `run` step: its inputs in the form its engine names (copies, where a form is mutable; a value
 * dataset arrives as its JSON value, whatever the engine), its function, its outputs. Each engine that adds
 * to a step's context (DuckDB: `ctx.duckdb`, one connection per running step) does so for the step's time.
 */
export async function runFunctionBody(
  spec: StepSpec,
  body: Extract<StepBody, { kind: "run" }>,
  rc: RunContext,
  attempt: number,
  signal: AbortSignal,
): Promise<DatasetHandle[]> {
  const inputs = keyedRecord<unknown>();
  for (const input of spec.inputs) {
    const handle = rc.dataMap.handle(input.dataset);
    if (handle === undefined) throw new Error(`input ${q(input.dataset)} of step ${q(spec.name)} is not in the data map (a bug in linea's scheduler)`);
    const form = handle.kind === "value" ? "value" : body.engine;
    inputs[input.local] = handle.handOutNow(form) ?? (await handle.handOut(form));
  }
  const runtime = rc.runtime;
  const members: Record<string, unknown> = {};
  const started: EngineStep[] = [];
  for (const engine of runtime.engines.list) {
    if (engine.startStep === undefined) continue;
    const step = engine.startStep({ spec, engine: body.engine, inputs, signal, runtime });
    members[engine.name] = step.member;
    started.push(step);
  }
  const ctx = { stepName: spec.name, pipelineName: rc.pipelineName, runId: rc.runId, attempt, signal, params: spec.params, ...members } as StepContext;
  let outputs: DatasetHandle[] = [];
  try {
    outputs = collectOutputs(spec, await body.fn.call(spec.source, inputs as never, ctx), runtime);
    return outputs;
  } finally {
    for (const step of started) await step.close(outputs);
  }
}
