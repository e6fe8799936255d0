import type { DatasetHandle } from "../data/dataset-handle.js";
import type { EngineBodies, EngineBodyKind } from "../engines/engine.js";
import type { StepSpec } from "../step/step-spec.js";
import { assertNever } from "../util/assert-never.js";
import { runFunctionBody } from "./bodies/run-body.js";
import { bodyContext } from "./body-context.js";
import type { RunContext } from "./run-context.js";

/** The body of a kind, from the engine that runs that kind in this run. */
function bodyOf<K extends EngineBodyKind>(rc: RunContext, spec: StepSpec, kind: K): NonNullable<EngineBodies[K]> {
  const body = rc.runtime.engines.forBody(kind)?.bodies[kind];
  if (body === undefined) throw new Error(`no registered engine runs ${kind} bodies, which step ${JSON.stringify(spec.name)} has: register one (registerEngine, or the option engines)`);
  return body;
}

/**
 * Runs one attempt of a step's body and returns handles of its outputs (none are in the data map yet):
 * at once (or throwing) for a `run` body that returned a value, else a promise.
 */
export function executeBody(spec: StepSpec, rc: RunContext, attempt: number, signal: AbortSignal): DatasetHandle[] | Promise<DatasetHandle[]> {
  const body = spec.body;
  switch (body.kind) {
    case "run": return runFunctionBody(spec, body, rc, attempt, signal);
    case "sql": return bodyOf(rc, spec, "sql")(body, bodyContext(spec, rc, attempt, signal));
    case "read": return bodyOf(rc, spec, "read")(body, bodyContext(spec, rc, attempt, signal));
    case "write": return bodyOf(rc, spec, "write")(body, bodyContext(spec, rc, attempt, signal));
    default: return assertNever(body, "step body");
  }
}
