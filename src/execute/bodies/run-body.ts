import type { DatasetHandle } from "../../data/dataset-handle.js";
import type { Engine, EngineStep } from "../../engines/engine.js";
import type { StepContext } from "../../step/step.js";
import type { StepBody, StepInput, StepSpec } from "../../step/step-spec.js";
import { isPromiseLike } from "../../util/is-promise-like.js";
import { q } from "../../util/quote.js";
import { collectOutputs } from "../collect-outputs.js";
import type { RunContext } from "../run-context.js";
import { keyedRecord } from "../../util/keyed-record.js";
import { EMPTY_ARRAY } from "../../util/empty.js";

type RunBody = Extract<StepBody, { kind: "run" }>;

/** The handle of an input, from the data map. */
function inputHandle(spec: StepSpec, input: StepInput, rc: RunContext): DatasetHandle {
  const handle = rc.dataMap.handle(input.dataset);
  if (handle === undefined) throw new Error(`input ${q(input.dataset)} of step ${q(spec.name)} is not in the data map (a bug in linea's scheduler)`);
  return handle;
}

/** The inputs from `from` on that are not yet in the step's form: each converted (or loaded) in turn. */
async function convertInputs(spec: StepSpec, body: RunBody, rc: RunContext, inputs: Record<string, unknown>, from: number): Promise<void> {
  for (let i = from; i < spec.inputs.length; i++) {
    const input = spec.inputs[i] as StepInput;
    const handle = inputHandle(spec, input, rc);
    const form = handle.kind === "value" ? "value" : body.engine;
    inputs[input.local] = handle.handOutNow(form) ?? (await handle.handOut(form));
  }
}

/**
 * Ends each engine's part of the step (in the order they started), then returns `outputs` or throws `failure`.
 * Synchronous while no engine has anything to wait for.
 */
function closeSteps(started: readonly EngineStep[], from: number, outputs: DatasetHandle[], failure: { error: unknown } | undefined): DatasetHandle[] | Promise<DatasetHandle[]> {
  for (let i = from; i < started.length; i++) {
    const closing = (started[i] as EngineStep).close(failure === undefined ? outputs : []);
    if (isPromiseLike(closing)) return Promise.resolve(closing).then(() => closeSteps(started, i + 1, outputs, failure));
  }
  if (failure !== undefined) throw failure.error;
  return outputs;
}

/** Calls the step's function on its inputs; synchronous when the function returns a value rather than a promise. */
function callBody(spec: StepSpec, body: RunBody, rc: RunContext, attempt: number, signal: AbortSignal, inputs: Record<string, unknown>): DatasetHandle[] | Promise<DatasetHandle[]> {
  const runtime = rc.runtime;
  const ctx = { stepName: spec.name, pipelineName: rc.pipelineName, runId: rc.runId, attempt, signal, params: spec.params } as Record<string, unknown>;
  // A list of one for the usual one engine that starts steps (DuckDB), not an empty array pushed to.
  let started: EngineStep[] = EMPTY_ARRAY as unknown as EngineStep[];
  const engines = runtime.engines.list;
  for (let i = 0; i < engines.length; i++) {
    const engine = engines[i] as Engine;
    if (engine.startStep === undefined) continue;
    const step = engine.startStep({ spec, engine: body.engine, inputs, signal, runtime });
    ctx[engine.name] = step.member;
    if (started.length === 0) started = [step];
    else started.push(step);
  }
  let returned: unknown;
  try {
    returned = body.fn.call(spec.source, inputs as never, ctx as unknown as StepContext);
  } catch (error) {
    return closeSteps(started, 0, [], { error });
  }
  if (isPromiseLike(returned)) {
    return Promise.resolve(returned).then(
      (value) => outputsOf(spec, rc, started, value),
      (error: unknown) => closeSteps(started, 0, [], { error }),
    );
  }
  return outputsOf(spec, rc, started, returned);
}

/** The step's outputs from what its function returned, once each engine's part of the step has ended. */
function outputsOf(spec: StepSpec, rc: RunContext, started: readonly EngineStep[], returned: unknown): DatasetHandle[] | Promise<DatasetHandle[]> {
  let outputs: DatasetHandle[];
  try {
    outputs = collectOutputs(spec, returned, rc.runtime);
  } catch (error) {
    return closeSteps(started, 0, [], { error });
  }
  return closeSteps(started, 0, outputs, undefined);
}

/**
 * Runs a `run` step: its inputs in the form its engine names (copies, where a form is mutable; a value
 * dataset arrives as its JSON value, whatever the engine), its function, its outputs. Each engine that adds
 * to a step's context (DuckDB: `ctx.duckdb`, one connection per running step) does so for the step's time.
 * Synchronous (returns the handles, or throws) when every input is already in the step's form and the
 * function returns a value: no promise is made for a quick step.
 */
export function runFunctionBody(spec: StepSpec, body: RunBody, rc: RunContext, attempt: number, signal: AbortSignal): DatasetHandle[] | Promise<DatasetHandle[]> {
  const inputs = keyedRecord<unknown>();
  const declared = spec.inputs;
  for (let i = 0; i < declared.length; i++) {
    const input = declared[i] as StepInput;
    const handle = inputHandle(spec, input, rc);
    const now = handle.handOutNow(handle.kind === "value" ? "value" : body.engine);
    if (now === undefined) {
      return convertInputs(spec, body, rc, inputs, i).then(() => callBody(spec, body, rc, attempt, signal, inputs));
    }
    inputs[input.local] = now;
  }
  return callBody(spec, body, rc, attempt, signal, inputs);
}
