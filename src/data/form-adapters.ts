import type { DatasetForm, DatasetForms } from "./dataset.js";
import type { FormAdapter } from "./form-adapter.js";
import { rowsForm } from "./forms/rows-form.js";
import { arrowForm } from "./forms/arrow-form.js";
import { valueForm } from "./forms/value-form.js";

/**
 * The forms data may be held in, by name: plain rows, Arrow and values are the data layer's own; each
 * engine adds its form when it is registered (DuckDB's tables, danfo's DataFrames, ...).
 */
const ADAPTERS = new Map<string, FormAdapter<string, unknown>>([
  ["rows", rowsForm],
  ["arrow", arrowForm],
  ["value", valueForm as FormAdapter<string, unknown>],
]);

/**
 * Adds a form (an engine's). A name holds one adapter: registering another under a taken name is refused.
 * @throws Error naming the form, when another adapter holds its name.
 */
export function registerForm(adapter: FormAdapter<string, unknown>): void {
  const known = ADAPTERS.get(adapter.form);
  if (known === adapter) return;
  if (known !== undefined) throw new Error(`form ${JSON.stringify(adapter.form)} is already registered by another engine: give the engine another name`);
  ADAPTERS.set(adapter.form, adapter);
}

/** Removes a form an engine registered (the data layer's own forms stay). */
export function unregisterForm(adapter: FormAdapter<string, unknown>): void {
  if (ADAPTERS.get(adapter.form) === adapter && !["rows", "arrow", "value"].includes(adapter.form)) ADAPTERS.delete(adapter.form);
}

/** @throws Error when no engine registered `form`. */
export function adapterFor<F extends DatasetForm>(form: F): FormAdapter<F, DatasetForms[F]>;
export function adapterFor(form: string): FormAdapter<string, unknown>;
export function adapterFor(form: string): FormAdapter<string, unknown> {
  const adapter = ADAPTERS.get(form);
  if (adapter === undefined) {
    throw new Error(`no engine holds data in form ${JSON.stringify(form)}: register the engine (registerEngine, or the option engines) before using it`);
  }
  return adapter;
}

/**
 * The table form a value is held in, or undefined when it is none of the registered ones (plain rows first,
 * then each engine's in the order they were registered; a Dataset handle is not a form; values are told
 * apart by collectOutputs).
 */
export function detectForm(value: unknown): DatasetForm | undefined {
  if (rowsForm.matches(value)) return "rows";
  for (const [form, adapter] of ADAPTERS) {
    if (form !== "rows" && form !== "value" && adapter.matches(value)) return form as DatasetForm;
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
