import { createHash } from "node:crypto";
import { canonicalJson } from "../cache/canonical-json.js";
import type { StepSpec } from "../step/step-spec.js";
import { assertNever } from "../util/assert-never.js";

function body(spec: StepSpec): unknown {
  const b = spec.body;
  switch (b.kind) {
    case "sql": return { sql: b.sql };
    case "run": return { code: b.fn.toString(), engine: b.engine };
    case "read":
    case "write": return { kind: b.kind, path: b.path, format: b.format, options: b.options };
    default: return assertNever(b, "step body");
  }
}

/**
 * The fingerprint of a pipeline as a worker must have it: every step's name, inputs, outputs, body (SQL,
 * function source, file target), checks and code version, with linea's version. A coordinator and a worker
 * that load different pipeline code get different fingerprints, and the worker refuses the job. Params are
 * not in it: they travel with each job (so `--param` on the coordinator reaches the workers).
 * @throws TypeError when params cannot be encoded canonically (as for cache keys).
 */
export function pipelineFingerprint(name: string, specs: readonly StepSpec[], lineaVersion: string): string {
  const encoded = canonicalJson([
    "linea-pipeline-1", name, lineaVersion,
    specs.map((s) => [s.name, s.inputs.map((i) => [i.local, i.dataset]), s.outputs, body(s), s.checks, s.codeVersion ?? null]),
  ]);
  return createHash("sha256").update(encoded).digest("hex");
}
