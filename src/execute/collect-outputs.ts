import type { PlainObject } from "../util/plain-object.js";
import { isPlainObject } from "../util/plain-object.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import { describeValue, detectForm } from "../data/form-adapters.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { StepSpec } from "../step/step-spec.js";
import { q, qList } from "../util/quote.js";
import { StepOutputError } from "./step-errors.js";
import { adapterFor } from "../data/form-adapters.js";

const FORMS_HINT = "return rows (an array of objects), an Arrow Table, a danfo DataFrame or a DuckDB relation";

/** True when a step with one output returned `{ output: value }` rather than the value itself. */
function isWrapped(returned: unknown, output: string): returned is PlainObject {
  return isPlainObject(returned) && Object.keys(returned).length === 1 && output in returned;
}

function byOutputName(spec: StepSpec, returned: unknown): PlainObject {
  const [only] = spec.outputs;
  if (spec.outputs.length === 1 && only !== undefined && !isWrapped(returned, only)) return { [only]: returned };
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
  return returned;
}

function checkRows(spec: StepSpec, name: string, rows: readonly unknown[]): void {
  const bad = rows.findIndex((row) => row === null || typeof row !== "object" || Array.isArray(row));
  if (bad >= 0) {
    throw new StepOutputError(spec.name, name, `output ${q(name)} is an array whose item ${bad} is ${describeValue(rows[bad])}, not a row object.`);
  }
}

/**
 * Turns what a `run` step returned into handles of its declared outputs. A step with one output returns
 * it (or `{ name: value }`); one with several returns `{ name: value }` with exactly the declared names.
 */
export async function collectOutputs(spec: StepSpec, returned: unknown, runtime: DataRuntime): Promise<DatasetHandle[]> {
  if (spec.outputs.length === 0) return [];
  const values = byOutputName(spec, returned);
  return Promise.all(
    spec.outputs.map(async (name) => {
      const value = values[name];
      if (value instanceof DatasetHandle) return value.renamed(name);
      const form = detectForm(value);
      if (form === undefined) {
        throw new StepOutputError(spec.name, name, `output ${q(name)} is ${describeValue(value)}; ${FORMS_HINT}.`);
      }
      if (form === "rows") checkRows(spec, name, value as unknown[]);
      const rowCount = await adapterFor(form).rowCount(value as never, runtime);
      return DatasetHandle.of(name, form, value, runtime, { rowCount });
    }),
  );
}
