import type { DatasetHandle } from "../../data/dataset-handle.js";
import { Relation } from "../../engines/duckdb/relation.js";
import { StepConnection } from "../../engines/duckdb/step-context.js";
import type { StepContext } from "../../step/step.js";
import type { StepBody, StepSpec } from "../../step/step-spec.js";
import { collectOutputs } from "../collect-outputs.js";
import type { RunContext } from "../run-context.js";
import { inputHandle } from "./input-handle.js";

/** Runs a `run` step: its inputs in the form its engine names (copies, where a form is mutable), its function, its outputs. */
export async function runFunctionBody(
  spec: StepSpec,
  body: Extract<StepBody, { kind: "run" }>,
  rc: RunContext,
  attempt: number,
  signal: AbortSignal,
): Promise<DatasetHandle[]> {
  const values = await Promise.all(spec.inputs.map((input) => inputHandle(rc, spec, input.dataset).handOut(body.engine)));
  const inputs: Record<string, unknown> = {};
  spec.inputs.forEach((input, i) => (inputs[input.local] = values[i]));
  const views = body.engine === "duckdb"
    ? spec.inputs.map((input, i) => ({ local: input.local, relation: values[i] as Relation }))
    : [];
  const duckdb = new StepConnection(() => rc.runtime.duckdb(), views, signal);
  const ctx: StepContext = {
    stepName: spec.name,
    pipelineName: rc.pipelineName,
    runId: rc.runId,
    attempt,
    signal,
    params: spec.params,
    duckdb,
  };
  let outputs: DatasetHandle[] = [];
  try {
    const returned = await body.fn(inputs as never, ctx);
    outputs = await collectOutputs(spec, returned, rc.runtime);
    return outputs;
  } finally {
    const kept = await Promise.all(outputs.filter((o) => o.has("duckdb")).map((o) => o.valueIn("duckdb")));
    await duckdb.close(new Set(kept.filter((v): v is Relation => v instanceof Relation)));
  }
}
