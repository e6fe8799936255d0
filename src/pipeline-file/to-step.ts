import type { Check } from "../step/check.js";
import type { RunFunction, Step, StepCommon } from "../step/step.js";
import type { PipelineFileStep } from "./pipeline-file.generated.js";

const COMMON_FIELDS = [
  "name", "layer", "tags", "description", "inputs", "outputs", "params", "retry", "timeoutMs", "cache", "codeVersion", "checks",
] as const satisfies ReadonlyArray<keyof StepCommon & keyof PipelineFileStep>;

function commonOf(fileStep: PipelineFileStep): StepCommon {
  const common: Record<string, unknown> = {};
  for (const field of COMMON_FIELDS) if (fileStep[field] !== undefined) common[field] = fileStep[field];
  // The schema's check is one flat object (kind plus every kind's fields); what each kind needs was checked by
  // the schema's if/then chain, so it has the shape of one member of the Check union.
  return common as unknown as StepCommon & { checks?: readonly Check[] };
}

/**
 * A step of a pipeline file as a {@link Step}: the same fields, with a run body's `{ module, export }`
 * replaced by the function it names (imported by the caller). Paths stay as written.
 */
export function toStep(fileStep: PipelineFileStep, run: RunFunction | undefined): Step {
  const common = commonOf(fileStep);
  if (fileStep.sql !== undefined) return { ...common, sql: fileStep.sql };
  if (fileStep.read !== undefined) return { ...common, read: fileStep.read };
  if (fileStep.write !== undefined) return { ...common, write: fileStep.write };
  const engine = fileStep.engine === undefined ? {} : { engine: fileStep.engine };
  const columns = fileStep.columns === undefined ? {} : { columns: fileStep.columns };
  const columnLineage = fileStep.columnLineage === undefined ? {} : { columnLineage: fileStep.columnLineage };
  // A file's run body names its engine as data, so the function's parameter type cannot follow from it.
  return { ...common, ...engine, ...columns, ...columnLineage, run: run ?? (() => undefined) } as Step;
}
