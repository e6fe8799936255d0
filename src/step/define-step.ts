import type { EngineName, ReadStep, RunStep, RunStepOf, SqlStep, Step, WriteStep } from "./step.js";
import { validateStep } from "./validate-step.js";

/**
 * Validates a step when it is declared and returns it unchanged. For `run` steps it also types the
 * body's inputs from `inputs` and `engine`.
 *
 * @example
 * ```ts
 * const flagBig = defineStep({
 *   name: "flag_big",
 *   engine: "danfo",
 *   inputs: { df: "enriched" },
 *   outputs: ["flagged"],
 *   run: ({ df }) => df.addColumn("big", df["qty"].gt(3)),   // df: DataFrame
 * });
 * ```
 * @throws StepDefinitionError listing every problem of the declaration.
 */
export function defineStep<const L extends string = never, const E extends EngineName = "rows">(step: RunStep<E, L>): RunStepOf<E, L>;
export function defineStep<const S extends SqlStep | ReadStep | WriteStep>(step: S): S;
export function defineStep(step: Step): Step;
export function defineStep(step: Step): Step {
  validateStep(step);
  return step;
}
