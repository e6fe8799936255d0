import type { DatasetHandle } from "../../data/dataset-handle.js";
import type { StepSpec } from "../../step/step-spec.js";
import { ValueNotTableError } from "../../data/forms/value-form.js";
import { q } from "../../util/quote.js";
import type { RunContext } from "../run-context.js";

/** The handle of an input dataset; the scheduler starts a step only once all of them exist. */
export function inputHandle(rc: RunContext, spec: StepSpec, dataset: string): DatasetHandle {
  const handle = rc.dataMap.handle(dataset);
  if (handle === undefined) {
    throw new Error(`input ${q(dataset)} of step ${q(spec.name)} is not in the data map (a bug in linea's scheduler)`);
  }
  return handle;
}

/**
 * The handle of an input a step reads as a table (SQL, a write, a check): a value dataset is refused with a
 * `ValueNotTableError` that names the step, before anything runs.
 */
export async function tableInput(rc: RunContext, spec: StepSpec, dataset: string): Promise<DatasetHandle> {
  const handle = inputHandle(rc, spec, dataset);
  if (handle.kind === "value") throw new ValueNotTableError(dataset, await handle.value(), `${spec.body.kind} step ${q(spec.name)}`);
  return handle;
}
