import type { Table } from "apache-arrow";
import type { DataFrame } from "danfojs-node";
import type { EngineForms } from "../step/step.js";
import type { Column, Dataset, DatasetForm, Row } from "./dataset.js";
import type { DataRuntime, FormAdapter } from "./form-adapter.js";
import { adapterFor } from "./form-adapters.js";

/** What several handles of one piece of data share: its forms, converted at most once each, and its probes. */
class DataCell {
  readonly values = new Map<DatasetForm, Promise<unknown>>();
  schema: Promise<Column[]> | undefined;
  rowCount: Promise<number> | undefined;

  constructor(readonly form: DatasetForm, value: unknown, readonly runtime: DataRuntime) {
    this.values.set(form, Promise.resolve(value));
  }
}

/**
 * The data_map's handle of one dataset. Holds the value in the form its producer returned, and each other
 * form once a step has asked for it (conversions go through a column batch, at most once per form).
 */
export class DatasetHandle implements Dataset {
  readonly name: string;
  version: string | undefined;
  private readonly cell: DataCell;

  private constructor(name: string, cell: DataCell, version: string | undefined) {
    this.name = name;
    this.cell = cell;
    this.version = version;
  }

  /** A handle of `value`, which must be in `form`. */
  static of(name: string, form: DatasetForm, value: unknown, runtime: DataRuntime, options: { version?: string; rowCount?: number } = {}): DatasetHandle {
    const cell = new DataCell(form, value, runtime);
    if (options.rowCount !== undefined) cell.rowCount = Promise.resolve(options.rowCount);
    return new DatasetHandle(name, cell, options.version);
  }

  /** The same data under another name (a step that passes an input through as its output). */
  renamed(name: string, version?: string): DatasetHandle {
    return new DatasetHandle(name, this.cell, version);
  }

  get form(): DatasetForm {
    return this.cell.form;
  }

  private get adapter(): FormAdapter<DatasetForm> {
    return adapterFor(this.cell.form) as FormAdapter<DatasetForm>;
  }

  /** True once the value exists in `form` (no conversion needed). */
  has(form: DatasetForm): boolean {
    return this.cell.values.has(form);
  }

  /** The value in `form`, converted on first request. Shared: never mutate it; see {@link handOut}. */
  valueIn<F extends DatasetForm>(form: F): Promise<EngineForms[F]> {
    let value = this.cell.values.get(form);
    if (value === undefined) {
      value = this.convert(form);
      this.cell.values.set(form, value);
      // A failed conversion is not cached: the next request tries again.
      value.catch(() => this.cell.values.delete(form));
    }
    return value as Promise<EngineForms[F]>;
  }

  private async convert(to: DatasetForm): Promise<unknown> {
    const primary = await this.cell.values.get(this.cell.form);
    const batch = await this.adapter.toBatch(primary as never, this.cell.runtime);
    return adapterFor(to).fromBatch(batch, this.cell.runtime);
  }

  /** The value in `form`, as a copy the caller may mutate (rows and DataFrames are copied; the rest are immutable). */
  async handOut<F extends DatasetForm>(form: F): Promise<EngineForms[F]> {
    const value = await this.valueIn(form);
    return adapterFor(form).handOut(value, this.cell.runtime);
  }

  schema(): Promise<Column[]> {
    this.cell.schema ??= this.primary().then((v) => this.adapter.schema(v as never, this.cell.runtime));
    return this.cell.schema;
  }

  rowCount(): Promise<number> {
    this.cell.rowCount ??= this.primary().then((v) => this.adapter.rowCount(v as never, this.cell.runtime));
    return this.cell.rowCount;
  }

  async sample(n: number): Promise<Row[]> {
    if (n <= 0) return [];
    return this.adapter.sample((await this.primary()) as never, n, this.cell.runtime);
  }

  toArrow(): Promise<Table> {
    return this.handOut("arrow");
  }

  toDanfo(): Promise<DataFrame> {
    return this.handOut("danfo");
  }

  toRows(): Promise<Row[]> {
    return this.handOut("rows");
  }

  private primary(): Promise<unknown> {
    return this.cell.values.get(this.cell.form) as Promise<unknown>;
  }
}
