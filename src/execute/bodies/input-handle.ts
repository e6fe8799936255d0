import type { DatasetHandle } from "../../data/dataset-handle.js";
import type { StepSpec } from "../../step/step-spec.js";
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
