import type { DatasetHandle } from "../data/dataset-handle.js";
import { LineaError } from "../errors/linea-error.js";
import type { StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import type { CheckResult } from "./check-result.js";
import { executeBody } from "./execute-body.js";
import { runChecks } from "./run-checks.js";
import type { RunContext } from "./run-context.js";
import { RunInterruptedError, StepFailedError, StepTimeoutError } from "../errors/step-errors.js";

/** Settles with `work`, or rejects with the signal's reason the moment it aborts (the work goes on, ignored). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** What a successful attempt produced: its outputs and the results of their data checks. */
export interface AttemptOutput {
  readonly outputs: DatasetHandle[];
  readonly checks: CheckResult[];
}

async function bodyThenChecks(spec: StepSpec, rc: RunContext, attempt: number, signal: AbortSignal): Promise<AttemptOutput> {
  const outputs = await executeBody(spec, rc, attempt, signal);
  return { outputs, checks: spec.checks.length === 0 ? [] : await runChecks(spec, outputs, rc.runtime) };
}

/** Anything an attempt threw, as an error that names the step (engine and user errors are kept as `cause`). */
export function asStepError(spec: StepSpec, error: unknown): Error {
  if (error instanceof LineaError && "stepName" in error) return error;
  return new StepFailedError(spec.name, errorMessage(error), error);
}

/**
 * One attempt of one step under its timeout. The step's `ctx.signal` aborts when the timeout passes or the
 * run is interrupted, and the attempt fails at that moment, whether or not the body honours the signal.
 */
export async function runAttempt(spec: StepSpec, attempt: number, timeoutMs: number | undefined, rc: RunContext): Promise<AttemptOutput> {
  if (timeoutMs === undefined) {
    // Without a timeout the step's signal is the run's own: no controller per attempt on the hot path.
    try {
      return await untilAborted(bodyThenChecks(spec, rc, attempt, rc.signal), rc.signal);
    } catch (error) {
      throw rc.signal.aborted ? new RunInterruptedError(spec.name, rc.signal.reason) : asStepError(spec, error);
    }
  }
  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort(new RunInterruptedError(spec.name, rc.signal.reason));
  if (rc.signal.aborted) onRunAbort();
  else rc.signal.addEventListener("abort", onRunAbort, { once: true });
  const timer = timeoutMs === undefined
    ? undefined
    : setTimeout(() => controller.abort(new StepTimeoutError(spec.name, timeoutMs, attempt)), timeoutMs);
  try {
    return await untilAborted(bodyThenChecks(spec, rc, attempt, controller.signal), controller.signal);
  } catch (error) {
    throw asStepError(spec, error);
  } finally {
    clearTimeout(timer);
    rc.signal.removeEventListener("abort", onRunAbort);
  }
}
