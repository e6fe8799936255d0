import { DatasetHandle } from "../data/dataset-handle.js";
import { describeValue, detectForm } from "../data/form-adapters.js";
import { findUnstorableValue } from "../data/forms/unstorable-value.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { StepSpec } from "../step/step-spec.js";
import { isPlainObject, type PlainObject } from "../util/plain-object.js";
import { q, qList } from "../util/quote.js";
import { StepOutputError } from "./step-errors.js";

const FORMS_HINT = "return rows (an array of objects), an Arrow Table, a danfo DataFrame or a DuckDB relation";

/** True when a step with one output returned `{ output: value }` rather than the value itself. */
function isWrapped(returned: unknown, output: string): returned is PlainObject {
  return isPlainObject(returned) && output in returned && Object.keys(returned).length === 1;
}

function valueOf(spec: StepSpec, returned: unknown, name: string): unknown {
  if (spec.outputs.length === 1) return isWrapped(returned, name) ? returned[name] : returned;
  return (returned as PlainObject)[name];
}

function checkShape(spec: StepSpec, returned: unknown): void {
  if (spec.outputs.length === 1) return;
  if (!isPlainObject(returned)) {
    throw new StepOutputError(
      spec.name, undefined,
      `it declares outputs ${qList(spec.outputs)} and must return { ${spec.outputs.join(", ")} }; it returned ${describeValue(returned)}.`,
    );
  }
  const missing = spec.outputs.filter((name) => returned[name] === undefined);
  const extra = Object.keys(returned).filter((name) => !spec.outputs.includes(name)).sort();
  if (missing.length > 0) {
    throw new StepOutputError(spec.name, missing[0], `missing declared output ${qList(missing)}. Return { ${spec.outputs.join(", ")} }.`);
  }
  if (extra.length > 0) {
    throw new StepOutputError(spec.name, extra[0], `undeclared output ${qList(extra)}. Add it to outputs, or stop returning it.`);
  }
}

/**
 * Rows must be stored and read back as they are: an array of row objects, with at least one column (an
 * empty array carries no schema, and DuckDB has no table without columns), and values that have a type.
 */
function checkRows(spec: StepSpec, name: string, rows: readonly unknown[]): void {
  const bad = rows.findIndex((row) => row === null || typeof row !== "object" || Array.isArray(row));
  if (bad >= 0) {
    throw new StepOutputError(spec.name, name, `output ${q(name)} is an array whose item ${bad} is ${describeValue(rows[bad])}, not a row object.`);
  }
  if (!(rows as object[]).some((row) => Object.keys(row).length > 0)) {
    throw new StepOutputError(
      spec.name, name,
      `output ${q(name)} is ${rows.length === 0 ? "an empty array" : "rows without any column"}, which carries no schema: linea cannot store it or query it. ` +
      "Return at least one column: rows with keys, or for no rows an Arrow Table or a DuckDB relation with a schema.",
    );
  }
  const unstorable = findUnstorableValue(rows as object[]);
  if (unstorable !== undefined) {
    throw new StepOutputError(
      spec.name, name,
      `output ${q(name)} cannot be stored and read back as it is: in row ${unstorable.row}, column ${q(unstorable.column)}, ${unstorable.reason}. ` +
      "Return plain values (numbers, strings, booleans, Dates, bytes, arrays and plain objects of them).",
    );
  }
}

function handleOf(spec: StepSpec, name: string, value: unknown, runtime: DataRuntime): DatasetHandle {
  if (value instanceof DatasetHandle) return value.renamed(name);
  const form = detectForm(value);
  if (form === undefined) throw new StepOutputError(spec.name, name, `output ${q(name)} is ${describeValue(value)}; ${FORMS_HINT}.`);
  if (form === "rows") checkRows(spec, name, value as unknown[]);
  return DatasetHandle.of(name, form, value, runtime);
}

/**
 * Turns what a `run` step returned into handles of its declared outputs. A step with one output returns
 * it (or `{ name: value }`); one with several returns `{ name: value }` with exactly the declared names.
 */
export function collectOutputs(spec: StepSpec, returned: unknown, runtime: DataRuntime): DatasetHandle[] {
  if (spec.outputs.length === 0) return [];
  checkShape(spec, returned);
  return spec.outputs.map((name) => handleOf(spec, name, valueOf(spec, returned, name), runtime));
}

/** The row counts of outputs, by name (known at once for every form but a fresh DuckDB query). */
export async function rowCountsOf(outputs: readonly DatasetHandle[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const output of outputs) counts[output.name] = await output.rowCount();
  return counts;
}

