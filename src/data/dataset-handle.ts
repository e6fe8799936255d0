import type { Table } from "apache-arrow";
import type { DanfoDataFrame } from "./forms/danfo-frame.js";
import type { Column, Dataset, DatasetForm, DatasetForms, DatasetKind, Row } from "./dataset.js";
import { ValueNotTableError } from "./forms/value-form.js";
import type { JsonValue } from "./json-value.js";
import type { DataRuntime, FormAdapter } from "./form-adapter.js";
import { adapterFor } from "./form-adapters.js";

/** Schema, row count and first rows known without the data (for data stored by the cache or a checkpoint). */
export interface KnownProbes {
  readonly schema: readonly Column[];
  readonly rowCount: number;
  readonly sample: readonly Row[];
}

/** What several handles of one piece of data share: its forms, converted at most once each, and its probes. */
class DataCell {
  /** The value in the cell's own form, once it exists (most data is only ever held in that form). */
  private primary: unknown;
  private hasPrimary: boolean;
  /** The values in other forms, once converted (made on the first conversion). */
  private others: Map<DatasetForm, unknown> | undefined;
  /** Conversions under way (made on the first one: most data is never converted). */
  private conversions: Map<DatasetForm, Promise<unknown>> | undefined;
  /** The schema once known (an array; its promise is made when someone asks), or the probe under way. */
  schema: Column[] | Promise<Column[]> | undefined;
  rowCount: Promise<number> | undefined;
  /** The row count, when known without asking the data (its promise is made only when someone asks). */
  knownRowCount: number | undefined;
  /** Loads the primary value of stored data, once, when something first needs it. */
  private loader: (() => Promise<unknown>) | undefined;
  private loading: Promise<void> | undefined;

  constructor(readonly form: DatasetForm, value: unknown, readonly runtime: DataRuntime, loader?: () => Promise<unknown>, readonly known?: KnownProbes) {
    this.primary = value;
    this.hasPrimary = loader === undefined;
    this.loader = loader;
    if (known !== undefined) {
      this.schema = [...known.schema];
      this.knownRowCount = known.rowCount;
    }
  }

  /** True once the value exists in `form`. */
  has(form: DatasetForm): boolean {
    return form === this.form ? this.hasPrimary : this.others?.has(form) === true;
  }

  /** The value in `form` (undefined when it does not exist yet). */
  get(form: DatasetForm): unknown {
    return form === this.form ? this.primary : this.others?.get(form);
  }

  set(form: DatasetForm, value: unknown): void {
    if (form === this.form) {
      this.primary = value;
      this.hasPrimary = true;
    } else {
      this.others ??= new Map();
      this.others.set(form, value);
    }
  }

  get converting(): Map<DatasetForm, Promise<unknown>> {
    this.conversions ??= new Map();
    return this.conversions;
  }

  /** Resolves once the primary value is there (at once for data that was never stored). */
  ensureLoaded(): Promise<void> {
    if (this.loader === undefined) return Promise.resolve();
    this.loading ??= this.loader().then(
      (value) => {
        this.set(this.form, value);
        this.loader = undefined;
      },
      (error: unknown) => {
        this.loading = undefined; // the next request tries again
        throw error;
      },
    );
    return this.loading;
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
    cell.knownRowCount = options.rowCount ?? adapterFor(form).knownRowCount(value as never);
    return new DatasetHandle(name, cell, options.version);
  }

  /**
   * A handle of stored data: `load` brings the value (in `form`) when something first needs it; until then
   * schema, row count and sample come from `known`.
   */
  static stored(name: string, form: DatasetForm, load: () => Promise<unknown>, known: KnownProbes, runtime: DataRuntime, version?: string): DatasetHandle {
    return new DatasetHandle(name, new DataCell(form, undefined, runtime, load, known), version);
  }

  /**
   * What a handle of stored data was made with: its stored output's probes, and whatever else its maker
   * passed along (the stored output itself, for the cache and the workers). Undefined for data never stored.
   */
  get storedWith(): KnownProbes | undefined {
    return this.cell.known;
  }

  /** The same data under another name (a step that passes an input through as its output). */
  renamed(name: string, version?: string): DatasetHandle {
    return new DatasetHandle(name, this.cell, version);
  }

  get form(): DatasetForm {
    return this.cell.form;
  }

  get kind(): DatasetKind {
    return this.cell.form === "value" ? "value" : "table";
  }

  private get adapter(): FormAdapter<DatasetForm> {
    return adapterFor(this.cell.form) as FormAdapter<DatasetForm>;
  }

  /** True once the value exists in `form` (no conversion needed). */
  has(form: DatasetForm): boolean {
    return this.cell.has(form);
  }

  /** The value in `form`, converted on first request. Shared: never mutate it; see {@link handOut}. */
  async valueIn<F extends DatasetForm>(form: F): Promise<DatasetForms[F]> {
    if (this.cell.has(form)) return this.cell.get(form) as DatasetForms[F];
    await this.cell.ensureLoaded();
    if (this.cell.has(form)) return this.cell.get(form) as DatasetForms[F];
    let converting = this.cell.converting.get(form);
    if (converting === undefined) {
      converting = this.convert(form).finally(() => this.cell.converting.delete(form));
      this.cell.converting.set(form, converting);
    }
    return (await converting) as DatasetForms[F];
  }

  private async convert(to: DatasetForm): Promise<unknown> {
    if (this.cell.form === "value") throw new ValueNotTableError(this.name, this.primary() as JsonValue);
    const batch = await this.adapter.toBatch(this.primary(), this.cell.runtime);
    const value = await adapterFor(to).fromBatch(batch, this.cell.runtime);
    this.cell.set(to, value);
    return value;
  }

  /** @internal The value in `form` when it exists (no conversion, no load); shared: never mutate it. */
  valueNow<F extends DatasetForm>(form: F): DatasetForms[F] | undefined {
    return this.cell.has(form) ? (this.cell.get(form) as DatasetForms[F]) : undefined;
  }

  /**
   * The value in `form` as a copy the caller may mutate (rows and DataFrames are copied; the other forms
   * are immutable and handed out as they are). Undefined when the form does not exist yet.
   */
  handOutNow<F extends DatasetForm>(form: F): DatasetForms[F] | undefined {
    if (!this.cell.has(form)) return undefined;
    return adapterFor(form).handOut(this.cell.get(form) as DatasetForms[F]);
  }

  /** The value in `form`, converted on first request, as a copy the caller may mutate (see {@link handOutNow}). */
  async handOut<F extends DatasetForm>(form: F): Promise<DatasetForms[F]> {
    return this.handOutNow(form) ?? adapterFor(form).handOut(await this.valueIn(form));
  }

  schema(): Promise<Column[]> {
    const cell = this.cell;
    cell.schema ??= cell.ensureLoaded().then(() => this.adapter.schema(this.primary(), cell.runtime));
    return Array.isArray(cell.schema) ? Promise.resolve(cell.schema) : cell.schema;
  }

  rowCount(): Promise<number> {
    const known = this.cell.knownRowCount;
    this.cell.rowCount ??= known !== undefined
      ? Promise.resolve(known)
      : this.cell.ensureLoaded().then(() => this.adapter.rowCount(this.primary(), this.cell.runtime));
    return this.cell.rowCount;
  }

  /** @internal The row count when it is known without asking the data (most forms, and stored data); else undefined. */
  rowCountNow(): number | undefined {
    return this.cell.knownRowCount;
  }

  /**
   * @internal Schema, row count and first `n` rows at once, when the data is in memory in a form that answers
   * them synchronously (plain rows); else undefined (ask {@link schema}, {@link rowCount}, {@link sample}).
   * The schema is kept for {@link schema}, as it would be had it been asked first.
   */
  probesNow(n: number): KnownProbes | undefined {
    const cell = this.cell;
    const adapter = this.adapter;
    const rowCount = cell.knownRowCount;
    if (cell.known !== undefined || rowCount === undefined || !cell.has(cell.form) || adapter.schemaNow === undefined || adapter.sampleNow === undefined) return undefined;
    const value = this.primary();
    // Inferred once: the tracker's snapshot and the cache's probes of the same data both ask.
    const schema = Array.isArray(cell.schema) ? cell.schema : adapter.schemaNow(value);
    cell.schema ??= schema;
    return { schema, rowCount, sample: n <= 0 ? [] : adapter.sampleNow(value, n) };
  }

  async sample(n: number): Promise<Row[]> {
    if (n <= 0) return [];
    const known = this.cell.known;
    if (known !== undefined && (n <= known.sample.length || known.sample.length >= known.rowCount)) return known.sample.slice(0, n);
    await this.cell.ensureLoaded();
    return this.adapter.sample(this.primary(), n, this.cell.runtime);
  }

  toArrow(): Promise<Table> {
    return this.handOut("arrow");
  }

  toDanfo(): Promise<DanfoDataFrame> {
    return this.handOut("danfo");
  }

  toRows(): Promise<Row[]> {
    return this.handOut("rows");
  }

  /** The value of a value dataset as it is held (shared: never mutate it), once loaded; else undefined. */
  peekValue(): JsonValue | undefined {
    return this.cell.form === "value" && this.cell.has("value") ? (this.cell.get("value") as JsonValue) : undefined;
  }

  async value(): Promise<JsonValue> {
    if (this.cell.form !== "value") throw new TypeError(`dataset ${JSON.stringify(this.name)} is a table, not a value: read it with toRows(), toArrow() or toDanfo()`);
    return this.handOut("value");
  }

  private primary(): never {
    return this.cell.get(this.cell.form) as never;
  }
}
