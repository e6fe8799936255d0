import { LineaError } from "../errors/linea-error.js";
import { q } from "../util/quote.js";

/** A step is not well formed. Raised when it is declared, never mid-run. */
export class StepDefinitionError extends LineaError {
  readonly stepName: string;
  readonly problems: readonly string[];

  constructor(stepName: string, problems: readonly string[]) {
    super("INVALID_STEP", `Invalid step ${q(stepName)}: ${problems.join("; ")}.`);
    this.stepName = stepName;
    this.problems = problems;
  }
}
