import { LineaError, type LineaErrorCode } from "../errors/linea-error.js";
import { q, qList } from "../util/quote.js";

/** The pipeline cannot be planned. Raised by `plan()` and before `execute()` runs anything. */
export class PlanError extends LineaError {
  constructor(code: LineaErrorCode, message: string) {
    super(code, message);
  }
}

/** Two or more steps share a name. */
export class DuplicateStepError extends PlanError {
  readonly stepName: string;
  readonly positions: readonly number[];

  constructor(stepName: string, positions: readonly number[]) {
    super(
      "DUPLICATE_STEP",
      `Duplicate step name ${q(stepName)}: declared at positions ${positions.join(", ")}. Give each step a unique name.`,
    );
    this.stepName = stepName;
    this.positions = positions;
  }
}

/** One dataset with more than one producer; `source` when it is also given in `sources`. */
export interface DuplicateOutput {
  readonly dataset: string;
  readonly steps: readonly string[];
  readonly source: boolean;
}

function describeDuplicate(d: DuplicateOutput): string {
  const steps = `${d.steps.length === 1 ? "step" : "steps"} ${qList(d.steps)}`;
  return d.source ? `${q(d.dataset)} is produced by ${steps} and also given as a source` : `${q(d.dataset)} is produced by ${steps}`;
}

/** A dataset is an output of more than one step (or of a step and a source). */
export class DuplicateOutputError extends PlanError {
  /** The first duplicated dataset (by name) and its producers. */
  readonly dataset: string;
  readonly steps: readonly string[];
  /** Every duplicated dataset with its producers, sorted by dataset name. */
  readonly duplicates: readonly DuplicateOutput[];

  constructor(duplicates: readonly DuplicateOutput[]) {
    const details = duplicates.map(describeDuplicate).join("; ");
    super(
      "DUPLICATE_OUTPUT",
      `Duplicate output ${details}. Each dataset has exactly one producer: rename all but one of these outputs.`,
    );
    const [first] = duplicates;
    this.dataset = first?.dataset ?? "";
    this.steps = first?.steps ?? [];
    this.duplicates = duplicates;
  }
}

/** The steps depend on each other in a circle. */
export class CycleError extends PlanError {
  /** The steps of the cycle in data-flow order, the first repeated at the end: `["a", "b", "c", "a"]`. */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super(
      "CYCLE",
      `Cycle in the pipeline: ${cycle.join(" -> ")}. Each step here needs an output of the next; remove one of these inputs.`,
    );
    this.cycle = cycle;
  }
}

/** One input that no step produces and no source supplies. */
export interface MissingInput {
  readonly stepName: string;
  readonly dataset: string;
  /** Existing dataset names close to the missing one, closest first. */
  readonly suggestions: readonly string[];
}

/** A step reads a dataset that no step produces and that is not given as a source. */
export class MissingInputError extends PlanError {
  /** The first missing input (by step, then dataset). */
  readonly stepName: string;
  readonly dataset: string;
  readonly suggestions: readonly string[];
  /** Every missing input, sorted by step name, then dataset. */
  readonly missing: readonly MissingInput[];

  constructor(missing: readonly MissingInput[]) {
    const details = missing
      .map((m) => {
        const hint = m.suggestions.length > 0 ? ` (did you mean ${m.suggestions.map(q).join(" or ")}?)` : "";
        return `${q(m.dataset)} of step ${q(m.stepName)}${hint}`;
      })
      .join("; ");
    super(
      "MISSING_INPUT",
      `Missing input ${details}: no step produces it and it is not a source. ` +
        "Add a step that outputs it, or pass it in execute({ sources }).",
    );
    const [first] = missing;
    this.stepName = first?.stepName ?? "";
    this.dataset = first?.dataset ?? "";
    this.suggestions = first?.suggestions ?? [];
    this.missing = missing;
  }
}
