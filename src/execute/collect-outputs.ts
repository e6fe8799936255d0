import { DatasetHandle } from "../data/dataset-handle.js";
import { adapterFor, describeValue, detectForm } from "../data/form-adapters.js";
import { findUnstorableValue } from "../data/forms/unstorable-value.js";
import type { Column, DatasetForm, Row } from "../data/dataset.js";
import { findJsonProblem, jsonTypeOf, type JsonValue } from "../data/json-value.js";
import type { StepSpec } from "../step/step-spec.js";
import { isPlainObject, type PlainObject } from "../util/plain-object.js";
import { q, qList } from "../util/quote.js";
import { StepOutputError } from "../errors/step-errors.js";
import type { RunRuntime } from "./run-runtime.js";
import { keyedRecord } from "../util/keyed-record.js";

const FORMS_HINT = "return rows (an array of objects), an Arrow Table, a danfo DataFrame, a DuckDB relation or a plain JSON value";

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
  // One loop for the usual case, row objects with at least one column; the messages below find what is wrong.
  let bad = -1;
  let columns = false;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      bad = r;
      break;
    }
    if (!columns) for (const _ in row) { columns = true; break; }
  }
  if (bad >= 0) {
    throw new StepOutputError(spec.name, name, `output ${q(name)} is an array whose item ${bad} is ${describeValue(rows[bad])}, not a row object.`);
  }
  if (!columns && !(rows as object[]).some((row) => Object.keys(row).length > 0)) {
    throw new StepOutputError(
      spec.name, name,
      `output ${q(name)} is ${rows.length === 0 ? "an empty array" : "rows without any column"}, which carries no schema: linea cannot store it or query it. ` +
      `Declare its columns on the step (columns: { ${name}: { id: "BIGINT" } }), or return at least one column: rows with keys, or for no rows an Arrow Table or a DuckDB relation with a schema.`,
    );
  }
  const declared = spec.columns[name];
  if (declared !== undefined) checkDeclaredColumns(spec, name, rows as Row[], declared);
  const unstorable = findUnstorableValue(rows as object[]);
  if (unstorable !== undefined) {
    throw new StepOutputError(
      spec.name, name,
      `output ${q(name)} cannot be stored and read back as it is: in row ${unstorable.row}, column ${q(unstorable.column)}, ${unstorable.reason}. ` +
      "Return plain values (numbers, strings, booleans, Dates, bytes, arrays and plain objects of them).",
    );
  }
}

/** Rows whose column names are not the ones the step declared for this output. */
function checkDeclaredColumns(spec: StepSpec, name: string, rows: readonly Row[], declared: readonly Column[]): void {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  const names = new Set(declared.map((c) => c.name));
  const missing = declared.map((c) => c.name).filter((c) => !seen.has(c));
  const extra = [...seen].filter((c) => !names.has(c)).sort();
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [missing.length > 0 ? `missing declared column ${qList(missing)}` : "", extra.length > 0 ? `undeclared column ${qList(extra)}` : ""].filter(Boolean);
  throw new StepOutputError(spec.name, name, `output ${q(name)} has ${parts.join(" and ")}. Return the declared columns, or change \`columns\`.`);
}

/**
 * No rows, in the columns the step declared: a table of the SQL engine (whose type names columns use:
 * DuckDB's), made when something first reads it.
 */
function emptyTable(spec: StepSpec, name: string, columns: readonly Column[], runtime: RunRuntime): DatasetHandle {
  const form = runtime.engines.forBody("sql")?.form;
  const empty = form?.empty;
  if (form === undefined || empty === undefined) {
    throw new StepOutputError(spec.name, name, `output ${q(name)} is an empty array, and no registered engine makes an empty table of declared columns. Return rows.`);
  }
  const load = (): Promise<unknown> => empty.call(form, columns, runtime);
  return DatasetHandle.stored(name, form.form as DatasetForm, load, { schema: columns, rowCount: 0, sample: [] }, runtime);
}

/**
 * Rows or a value? An array is rows when every item is a plain object, a value when none is (numbers,
 * strings, nested arrays, nulls); mixing both is a mistake. An empty array is rows with no columns
 * (an error unless the step declared its columns).
 */
function arrayKind(spec: StepSpec, name: string, items: readonly unknown[]): "rows" | "value" {
  if (items.length === 0) return "rows";
  let objects = 0;
  for (let i = 0; i < items.length; i++) if (isPlainObject(items[i])) objects++;
  if (objects === items.length) return "rows";
  if (objects === 0 && !items.some((item) => item !== null && typeof item === "object" && !Array.isArray(item))) return "value";
  const bad = items.findIndex((row) => !isPlainObject(row));
  throw new StepOutputError(
    spec.name, name,
    `output ${q(name)} is an array whose item ${bad} is ${describeValue(items[bad])}, not a row object. ` +
      "Rows are an array of plain objects only; an array of no objects at all (numbers, strings, lists) is a value.",
  );
}

function valueHandle(spec: StepSpec, name: string, value: unknown, runtime: RunRuntime): DatasetHandle {
  const problem = findJsonProblem(value);
  if (problem !== undefined) {
    throw new StepOutputError(
      spec.name, name,
      `output ${q(name)} is not a plain JSON value: at ${problem.path}, ${problem.reason}. ` +
        "Return plain JSON (numbers, strings, booleans, null, arrays and plain objects of them), or a table.",
    );
  }
  if (spec.columns[name] !== undefined) {
    throw new StepOutputError(spec.name, name, `output ${q(name)} declares columns but is a JSON ${jsonTypeOf(value as JsonValue)}, not rows. Return rows, or remove it from \`columns\`.`);
  }
  return DatasetHandle.of(name, "value", value, runtime);
}

function handleOf(spec: StepSpec, name: string, value: unknown, runtime: RunRuntime): DatasetHandle {
  if (value instanceof DatasetHandle) return value.renamed(name);
  if (Array.isArray(value)) {
    if (arrayKind(spec, name, value) === "value") return valueHandle(spec, name, value, runtime);
    const declared = spec.columns[name];
    if (value.length === 0 && declared !== undefined) return emptyTable(spec, name, declared, runtime);
  } else if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean" || isPlainObject(value)) {
    return valueHandle(spec, name, value, runtime);
  }
  // A step returns data in its own engine's form, whatever other engine could hold the same value.
  const own = spec.body.kind === "run" ? spec.body.engine : undefined;
  const form = own !== undefined && adapterFor(own).matches(value) ? own : detectForm(value);
  if (form === undefined) throw new StepOutputError(spec.name, name, `output ${q(name)} is ${describeValue(value)}; ${FORMS_HINT}.`);
  if (form === "rows") checkRows(spec, name, value as unknown[]);
  return DatasetHandle.of(name, form, value, runtime);
}

/**
 * Turns what a `run` step returned into handles of its declared outputs. A step with one output returns
 * it (or `{ name: value }`); one with several returns `{ name: value }` with exactly the declared names.
 * Each output is a table (rows, an Arrow Table, a DataFrame, a relation) or a value dataset (plain JSON:
 * a number, a string, a boolean, null, a plain object, an array holding no objects).
 */
export function collectOutputs(spec: StepSpec, returned: unknown, runtime: RunRuntime): DatasetHandle[] {
  if (spec.outputs.length === 0) return [];
  checkShape(spec, returned);
  return spec.outputs.map((name) => handleOf(spec, name, valueOf(spec, returned, name), runtime));
}

/** The row counts of outputs, by name (known at once for every form but a fresh DuckDB query). */
export async function rowCountsOf(outputs: readonly DatasetHandle[]): Promise<Record<string, number>> {
  const counts = keyedRecord<number>();
  for (const output of outputs) counts[output.name] = await output.rowCount();
  return counts;
}

/** The row counts of outputs, by name, when every one is known at once; else undefined (ask {@link rowCountsOf}). */
export function rowCountsNow(outputs: readonly DatasetHandle[]): Record<string, number> | undefined {
  const counts = keyedRecord<number>();
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs[i] as DatasetHandle;
    const count = output.rowCountNow();
    if (count === undefined) return undefined;
    counts[output.name] = count;
  }
  return counts;
}
