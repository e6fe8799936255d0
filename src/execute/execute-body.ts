import type { DatasetHandle } from "../data/dataset-handle.js";
import type { StepSpec } from "../step/step-spec.js";
import { assertNever } from "../util/assert-never.js";
import { runReadBody, runWriteBody } from "./bodies/file-bodies.js";
import { runFunctionBody } from "./bodies/run-body.js";
import { runSqlBody } from "./bodies/sql-body.js";
import type { RunContext } from "./run-context.js";

/** Runs one attempt of a step's body and returns handles of its outputs (none are in the data map yet). */
export function executeBody(spec: StepSpec, rc: RunContext, attempt: number, signal: AbortSignal): Promise<DatasetHandle[]> {
  const body = spec.body;
  switch (body.kind) {
    case "run": return runFunctionBody(spec, body, rc, attempt, signal);
    case "sql": return runSqlBody(spec, body, rc, signal);
    case "read": return runReadBody(spec, body, rc, signal);
    case "write": return runWriteBody(spec, body, rc, signal);
    default: return assertNever(body, "step body");
  }
}
