import type { DatasetForm } from "./dataset.js";
import type { FormAdapter } from "./form-adapter.js";
import { rowsForm } from "./forms/rows-form.js";
import { arrowForm } from "./forms/arrow-form.js";
import { danfoForm } from "../engines/danfo/danfo-form.js";
import { duckdbForm } from "../engines/duckdb/duckdb-form.js";
import { valueForm } from "./forms/value-form.js";

const ADAPTERS: { readonly [F in DatasetForm]: FormAdapter<F> } = {
  duckdb: duckdbForm,
  arrow: arrowForm,
  danfo: danfoForm,
  rows: rowsForm,
  value: valueForm,
};

export function adapterFor<F extends DatasetForm>(form: F): FormAdapter<F> {
  return ADAPTERS[form] as FormAdapter<F>;
}

/** The table form a value is held in, or undefined when it is none of the four (a Dataset handle is not a form; values are told apart by collectOutputs). */
export function detectForm(value: unknown): DatasetForm | undefined {
  for (const form of ["rows", "duckdb", "arrow", "danfo"] as const) {
    if (ADAPTERS[form].matches(value)) return form;
  }
  return undefined;
}

/** A short description of a value that is not a dataset, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  const article = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
  if (typeof value !== "object") return article(typeof value);
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== "Object" ? article(name) : "a plain object";
}
