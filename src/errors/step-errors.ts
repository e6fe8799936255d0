import { LineaError } from "./linea-error.js";
import { q } from "../util/quote.js";

/** An attempt ran longer than its `timeoutMs`. */
export class StepTimeoutError extends LineaError {
  readonly stepName: string;
  readonly timeoutMs: number;
  readonly attempt: number;

  constructor(stepName: string, timeoutMs: number, attempt: number) {
    super(
      "STEP_TIMEOUT",
      `Step ${q(stepName)} timed out after ${timeoutMs} ms (attempt ${attempt}). ` +
        "Raise its timeoutMs, or make it honour ctx.signal and finish sooner.",
    );
    this.stepName = stepName;
    this.timeoutMs = timeoutMs;
    this.attempt = attempt;
  }
}

/** The run was interrupted (Ctrl-C, or the signal passed to `execute`) while the step ran. */
export class RunInterruptedError extends LineaError {
  readonly stepName: string;

  constructor(stepName: string, cause?: unknown) {
    super("RUN_INTERRUPTED", `Step ${q(stepName)} was interrupted: the run was stopped while it ran.`, { cause });
    this.stepName = stepName;
  }
}

/** A step's body threw or its engine refused it. Keeps the original error as `cause`, and its message. */
export class StepFailedError extends LineaError {
  readonly stepName: string;

  constructor(stepName: string, message: string, cause?: unknown) {
    super("STEP_FAILED", `Step ${q(stepName)} failed: ${message}`, { cause });
    this.stepName = stepName;
  }
}

/** A step returned something other than its declared outputs in a form linea knows. */
export class StepOutputError extends LineaError {
  readonly stepName: string;
  readonly dataset: string | undefined;

  constructor(stepName: string, dataset: string | undefined, message: string) {
    super("STEP_OUTPUT", `Step ${q(stepName)} returned a bad output: ${message}`);
    this.stepName = stepName;
    this.dataset = dataset;
  }
}
