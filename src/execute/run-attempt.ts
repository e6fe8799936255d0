import type { DatasetHandle } from "../data/dataset-handle.js";
import { LineaError } from "../errors/linea-error.js";
import type { StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import type { CheckResult } from "./check-result.js";
import { executeBody } from "./execute-body.js";
import { runChecks } from "./run-checks.js";
import type { RunContext } from "./run-context.js";
import { RunInterruptedError, StepFailedError, StepTimeoutError } from "../errors/step-errors.js";

/**
 * The callbacks waiting on each signal, behind one "abort" listener per signal: adding and removing an
 * EventTarget listener per attempt showed in the profile of a many-step run. Called in the order added.
 */
const abortWaiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `onAbort` when `signal` aborts; returns the function that stops waiting. */
function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let waiting = abortWaiters.get(signal);
  if (waiting === undefined) {
    const set = new Set<() => void>();
    waiting = set;
    abortWaiters.set(signal, set);
    signal.addEventListener("abort", () => {
      const due = [...set];
      set.clear();
      for (const call of due) call();
    }, { once: true });
  }
  const set = waiting;
  set.add(onAbort);
  return () => set.delete(onAbort);
}

/** Settles with `work`, or rejects with the signal's reason the moment it aborts (the work goes on, ignored). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const stop = whenAborted(signal, () => reject(signal.reason));
    work.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
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
