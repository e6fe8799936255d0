import type { DatasetHandle } from "../data/dataset-handle.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { LineaError } from "../errors/linea-error.js";
import type { StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import type { CheckResult } from "./check-result.js";
import { executeBody } from "./execute-body.js";
import { isPromiseLike } from "../util/is-promise-like.js";
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
function untilAborted<T>(work: PromiseLike<T>, signal: AbortSignal): Promise<T> {
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
  readonly checks: readonly CheckResult[];
}

/** The attempt's output once its data checks (if any) have run on `outputs`. */
function withChecks(spec: StepSpec, rc: RunContext, outputs: DatasetHandle[]): AttemptOutput | Promise<AttemptOutput> {
  if (spec.checks.length === 0) return { outputs, checks: EMPTY_ARRAY };
  return runChecks(spec, outputs, rc.runtime).then((checks) => ({ outputs, checks }));
}

/** The body, then the checks: synchronous when the body is (a `run` body that returned a value) and there are no checks. */
function bodyThenChecks(spec: StepSpec, rc: RunContext, attempt: number, signal: AbortSignal): AttemptOutput | Promise<AttemptOutput> {
  const outputs = (attempt === 1 ? rc.readAhead?.take(spec.index, signal) : undefined) ?? executeBody(spec, rc, attempt, signal);
  if (isPromiseLike(outputs)) return Promise.resolve(outputs).then((handles) => withChecks(spec, rc, handles));
  return withChecks(spec, rc, outputs);
}

/** Anything an attempt threw, as an error that names the step (engine and user errors are kept as `cause`). */
export function asStepError(spec: StepSpec, error: unknown): Error {
  if (error instanceof LineaError && "stepName" in error) return error;
  return new StepFailedError(spec.name, errorMessage(error), error);
}

/** What an attempt without a timeout threw, as the error it fails with: an interruption once the run is interrupted. */
function failureOf(spec: StepSpec, rc: RunContext, error: unknown): Error {
  return rc.signal.aborted ? new RunInterruptedError(spec.name, rc.signal.reason) : asStepError(spec, error);
}

/**
 * One attempt of one step under its timeout. The step's `ctx.signal` aborts when the timeout passes or the
 * run is interrupted, and the attempt fails at that moment, whether or not the body honours the signal.
 * Without a timeout, an attempt whose body and checks are synchronous returns (or throws) at once: no
 * promise is made for a quick step.
 */
export function runAttempt(spec: StepSpec, attempt: number, timeoutMs: number | undefined, rc: RunContext): AttemptOutput | Promise<AttemptOutput> {
  if (timeoutMs !== undefined) return runAttemptWithin(spec, attempt, timeoutMs, rc);
  // Without a timeout the step's signal is the run's own: no controller per attempt on the hot path.
  let output: AttemptOutput | Promise<AttemptOutput>;
  try {
    output = bodyThenChecks(spec, rc, attempt, rc.signal);
  } catch (error) {
    throw failureOf(spec, rc, error);
  }
  if (isPromiseLike(output)) {
    return untilAborted(output, rc.signal).catch((error: unknown) => {
      throw failureOf(spec, rc, error);
    });
  }
  // What untilAborted does for a run interrupted before the body returned.
  if (rc.signal.aborted) throw new RunInterruptedError(spec.name, rc.signal.reason);
  return output;
}

/** {@link runAttempt} with a timeout: the attempt's own signal aborts when it passes or the run is interrupted. */
async function runAttemptWithin(spec: StepSpec, attempt: number, timeoutMs: number, rc: RunContext): Promise<AttemptOutput> {
  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort(new RunInterruptedError(spec.name, rc.signal.reason));
  if (rc.signal.aborted) onRunAbort();
  else rc.signal.addEventListener("abort", onRunAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new StepTimeoutError(spec.name, timeoutMs, attempt)), timeoutMs);
  let work: Promise<AttemptOutput>;
  try {
    work = Promise.resolve(bodyThenChecks(spec, rc, attempt, controller.signal));
  } catch (error) {
    work = Promise.reject(error);
  }
  try {
    return await untilAborted(work, controller.signal);
  } catch (error) {
    throw asStepError(spec, error);
  } finally {
    clearTimeout(timer);
    rc.signal.removeEventListener("abort", onRunAbort);
  }
}
