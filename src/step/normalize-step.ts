import type { Column } from "../data/dataset.js";
import { assertNever } from "../util/assert-never.js";
import { EMPTY_ARRAY, EMPTY_RECORD } from "../util/empty.js";
import { inferFormat } from "./file-format.js";
import type { BodyKind, FileTarget, RunFunction, RunStep, Step } from "./step.js";
import type { ResolvedFileTarget, StepBody, StepInput, StepSpec } from "./step-spec.js";
import { validateStep, type ValidationScope } from "./validate-step.js";

function resolveTarget(target: string | FileTarget): ResolvedFileTarget {
  const t = typeof target === "string" ? { path: target } : target;
  const format = t.format ?? inferFormat(t.path);
  // validateStep has already refused a target whose format is neither given nor inferable.
  if (format === undefined) throw new Error(`unreachable: no format for ${t.path}`);
  const options = t.options ?? {};
  if (/\.tsv(\.\w+)?$/i.test(t.path) && options.delim === undefined && options.sep === undefined) {
    return { path: t.path, format, options: { ...options, delim: "\t" } };
  }
  return { path: t.path, format, options };
}

/** The body field a validated step has (exactly one). */
function bodyKindOf(step: Step): BodyKind | undefined {
  const fields = step as unknown as Record<string, unknown>;
  return fields.sql !== undefined ? "sql" : fields.run !== undefined ? "run" : fields.read !== undefined ? "read" : fields.write !== undefined ? "write" : undefined;
}

function bodyOf(step: Step): StepBody {
  const kind = bodyKindOf(step);
  switch (kind) {
    case "sql":
      return { kind, sql: (step as { sql: string }).sql };
    case "run": {
      const run = step as RunStep;
      // Unbound: its source text is part of the cache key and the lineage. run-body calls it with the step as `this`.
      return { kind, fn: run.run as RunFunction, engine: run.engine ?? "rows" };
    }
    case "read":
      return { kind, ...resolveTarget((step as { read: string | FileTarget }).read) };
    case "write":
      return { kind, ...resolveTarget((step as { write: string | FileTarget }).write) };
    case undefined:
      throw new Error("unreachable: validateStep refuses a step without a body");
    default:
      return assertNever(kind, "body kind");
  }
}

function inputsOf(step: Step): readonly StepInput[] {
  const inputs = step.inputs;
  if (inputs === undefined) return EMPTY_ARRAY;
  if (Array.isArray(inputs)) return (inputs as readonly string[]).map((dataset) => ({ local: dataset, dataset }));
  return Object.entries(inputs as Record<string, string>).map(([local, dataset]) => ({ local, dataset }));
}

function columnsOf(step: Step): Readonly<Record<string, Column[]>> {
  const declared = "columns" in step ? step.columns : undefined;
  if (declared === undefined) return EMPTY_RECORD;
  const out: Record<string, Column[]> = {};
  for (const [output, columns] of Object.entries(declared)) {
    out[output] = Object.entries(columns).map(([name, type]) => ({ name, type: type.trim().toUpperCase() }));
  }
  return out;
}

/** Validates a declaration and brings it into the {@link StepSpec} shape. */
export function normalizeStep(step: Step, index: number, scope: ValidationScope = {}): StepSpec {
  validateStep(step, index, scope);
  const inputs = inputsOf(step);
  return {
    name: step.name,
    layer: step.layer,
    tags: step.tags === undefined || step.tags.length === 0 ? EMPTY_ARRAY : [...step.tags],
    description: step.description,
    index,
    inputs,
    inputDatasets: inputs.length === 0 ? EMPTY_ARRAY : Object.freeze(inputs.map((i) => i.dataset)),
    outputs: [...(step.outputs ?? [])],
    body: bodyOf(step),
    params: step.params ?? EMPTY_RECORD,
    retry: step.retry,
    timeoutMs: step.timeoutMs,
    cache: step.cache ?? "default",
    codeVersion: step.codeVersion,
    checks: step.checks === undefined || step.checks.length === 0 ? EMPTY_ARRAY : step.checks,
    columns: columnsOf(step),
    source: step,
  };
}
