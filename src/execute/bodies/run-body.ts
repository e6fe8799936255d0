import type { DatasetHandle } from "../../data/dataset-handle.js";
import { Relation } from "../../engines/duckdb/relation.js";
import { StepConnection } from "../../engines/duckdb/step-context.js";
import type { StepContext } from "../../step/step.js";
import type { StepBody, StepSpec } from "../../step/step-spec.js";
import { collectOutputs } from "../collect-outputs.js";
import type { RunContext } from "../run-context.js";
import { inputHandle } from "./input-handle.js";

/**
 * Runs a `run` step: its inputs in the form its engine names (copies, where a form is mutable; a value
 * dataset arrives as its JSON value, whatever the engine), its function, its outputs.
 */
export async function runFunctionBody(
  spec: StepSpec,
  body: Extract<StepBody, { kind: "run" }>,
  rc: RunContext,
  attempt: number,
  signal: AbortSignal,
): Promise<DatasetHandle[]> {
  const inputs: Record<string, unknown> = {};
  for (const input of spec.inputs) {
    const handle = inputHandle(rc, spec, input.dataset);
    const form = handle.kind === "value" ? "value" : body.engine;
    inputs[input.local] = handle.handOutNow(form) ?? (await handle.handOut(form));
  }
  const views = body.engine === "duckdb"
    ? spec.inputs.filter((input) => inputs[input.local] instanceof Relation).map((input) => ({ local: input.local, relation: inputs[input.local] as Relation }))
    : [];
  const duckdb = new StepConnection(() => rc.runtime.duckdb(), views, signal);
  const ctx: StepContext = { stepName: spec.name, pipelineName: rc.pipelineName, runId: rc.runId, attempt, signal, params: spec.params, duckdb };
  let outputs: DatasetHandle[] = [];
  try {
    outputs = collectOutputs(spec, await body.fn.call(spec.source, inputs as never, ctx), rc.runtime);
    return outputs;
  } finally {
    if (duckdb.isOpen) {
      const kept = outputs.map((o) => o.handOutNow("duckdb")).filter((v): v is Relation => v instanceof Relation);
      await duckdb.close(new Set(kept));
    }
  }
}
