import { copyFile, link, readFile, writeFile } from "node:fs/promises";
import type { Table } from "apache-arrow";
import type { DatasetHandle } from "../data/dataset-handle.js";
import type { DatasetForm } from "../data/dataset.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { Engine, EngineStorage } from "../engines/engine.js";
import { registeredEngines } from "../engines/engine-registry.js";
import type { StepBody } from "../step/step-spec.js";
import { sampleToJson } from "../data/sample-to-json.js";
import { sha256Hex as sha256Of } from "../util/sha256.js";
import type { FileVersions, FileVersion } from "./file-versions.js";
import type { ObjectStore } from "./object-store.js";
import type { StoredData, StoredOutput, WrittenFile } from "./stored-output.js";

/** Rows of a stored output kept with its metadata, so snapshots of a reused step need not read its data. */
export const STORED_SAMPLE_ROWS = 20;

/** The probes kept with a stored output. */
async function probes(handle: DatasetHandle): Promise<Pick<StoredOutput, "rowCount" | "schema" | "sample">> {
  const [schema, rowCount, sample] = await Promise.all([handle.schema(), handle.rowCount(), handle.sample(STORED_SAMPLE_ROWS)]);
  return { schema, rowCount, sample: sampleToJson({ schema, sample }) };
}

/** Outputs held as rows or a value whose JSON takes at most this many bytes are kept inline, in their record. */
export const INLINE_MAX_BYTES = 16 * 1024;

/** True for a value JSON carries exactly: strings, booleans, null, finite numbers (not -0), and arrays and plain objects of them. */
function jsonExact(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth > 32) return false;
      if (Array.isArray(value)) return value.every((v) => jsonExact(v, depth + 1));
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!jsonExact((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * A small output kept inline, without an object file or a round trip through DuckDB: data held as rows or
 * as a value, whose JSON is at most {@link INLINE_MAX_BYTES} and gives back exactly the same values.
 * Undefined for any other output (it is stored as an object).
 */
export async function inlineOutput(handle: DatasetHandle, dataVersion: string): Promise<StoredOutput | undefined> {
  const format = handle.form === "rows" ? "rows" : handle.form === "value" ? "json" : undefined;
  if (format === undefined) return undefined;
  if (format === "rows" && ((await handle.rowCount()) > INLINE_MAX_BYTES / 8)) return undefined;
  const value = await handle.valueIn(handle.form);
  if (!jsonExact(value)) return undefined;
  const text = JSON.stringify(value);
  if (text.length > INLINE_MAX_BYTES) return undefined;
  return { dataVersion, data: { kind: "inline", format, value: JSON.parse(text) as unknown, sha256: sha256Of(text) }, ...(await probes(handle)) };
}

/** What {@link inlineOutputNow} says of an output that is not kept inline. */
export const NOT_INLINE = "not-inline";

/**
 * {@link inlineOutput} at once, for data that answers without a promise (rows in memory, a value): the inline
 * output, {@link NOT_INLINE} when it is not one, or undefined when the data cannot tell now (ask inlineOutput).
 * A run of many small steps keeps most results this way, with no promise per output.
 */
export function inlineOutputNow(handle: DatasetHandle, dataVersion: string): StoredOutput | typeof NOT_INLINE | undefined {
  const form = handle.form;
  if (form !== "rows" && form !== "value") return NOT_INLINE;
  let probed: Pick<StoredOutput, "rowCount" | "schema" | "sample">;
  if (form === "rows") {
    const probes = handle.probesNow(STORED_SAMPLE_ROWS);
    if (probes === undefined) return undefined;
    if (probes.rowCount > INLINE_MAX_BYTES / 8) return NOT_INLINE;
    probed = { schema: probes.schema, rowCount: probes.rowCount, sample: sampleToJson(probes) };
  } else {
    // A value has no schema, rows or sample (what its probes would say, asked).
    if (handle.valueNow("value") === undefined) return undefined;
    probed = { schema: [], rowCount: 0, sample: [] };
  }
  const value = handle.valueNow(form);
  if (value === undefined) return undefined;
  if (!jsonExact(value)) return NOT_INLINE;
  const text = JSON.stringify(value);
  if (text.length > INLINE_MAX_BYTES) return NOT_INLINE;
  return { dataVersion, data: { kind: "inline", format: form === "rows" ? "rows" : "json", value: JSON.parse(text) as unknown, sha256: sha256Of(text) }, ...probed };
}

/** An output the policy does not keep: its version and probes only (snapshots of a reused step need no data). */
export async function notKeptOutput(handle: DatasetHandle, dataVersion: string, reason: string): Promise<StoredOutput> {
  return { dataVersion, data: { kind: "recompute", reason }, ...(await probes(handle)) };
}

/** True when inline data still hashes to its recorded sha256. */
export function inlineIntact(data: Extract<StoredData, { kind: "inline" }>): boolean {
  return sha256Of(JSON.stringify(data.value)) === data.sha256;
}

/** The engine that stores tables as Parquet (DuckDB): the last registered engine with storage. */
function parquetEngine(): Engine & { readonly storage: EngineStorage } {
  const engine = registeredEngines().findLast((e) => e.storage !== undefined);
  if (engine?.storage === undefined) throw new Error("no registered engine stores tables as Parquet (a bug in linea: DuckDB does)");
  return engine as Engine & { readonly storage: EngineStorage };
}

/**
 * Stores one output: data held in the Parquet engine's form (DuckDB's tables) as Parquet, written by that
 * engine (DuckDB's `COPY`, Parquet version 2 with snappy and small dictionaries: see the engine's storage), data held in another form as
 * Arrow IPC. The object is content-addressed, so an identical output already stored is kept, not copied.
 */
export async function storeOutput(handle: DatasetHandle, dataVersion: string, store: ObjectStore): Promise<StoredOutput> {
  let data: StoredData;
  const parquet = parquetEngine();
  if (handle.form === "value") {
    // Written to a temporary file and renamed into place under its content hash, like every object.
    // Hashed as it is written: the store need not read the file again.
    const text = JSON.stringify(await handle.valueIn("value"));
    const temp = await store.tempPath("json");
    await writeFile(temp, text);
    data = { kind: "object", object: await store.put(temp, "json", sha256Of(text)) };
  } else if (handle.form === parquet.name || handle.has(parquet.name as DatasetForm)) {
    const value = await handle.valueIn(parquet.name as DatasetForm);
    const temp = await store.tempPath("parquet");
    await parquet.storage.writeParquet(value, temp);
    data = { kind: "object", object: await store.put(temp, "parquet") };
  } else {
    const table = (await handle.valueIn("arrow")) as Table;
    // Arrow is imported only for an Arrow table: a run that never holds one never loads it.
    const bytes = (await import("apache-arrow")).tableToIPC(table, "file");
    const temp = await store.tempPath("arrow");
    await writeFile(temp, bytes);
    data = { kind: "object", object: await store.put(temp, "arrow", sha256Of(bytes)) };
  }
  return { dataVersion, data, ...(await probes(handle)) };
}

/**
 * Stores an output from the Parquet file a write step made of it: linked into the store (no second write
 * of the same rows), or copied where a link cannot cross filesystems. The object is content-addressed
 * like any other, and checked before it is read: a later edit of the user's file is caught there.
 */
export async function storeWrittenParquet(handle: DatasetHandle, dataVersion: string, written: WrittenFile, store: ObjectStore): Promise<StoredOutput> {
  const temp = await store.tempPath("parquet");
  const linked = await link(written.path, temp).then(() => true, () => false);
  if (!linked) await copyFile(written.path, temp);
  // A link is the very file the write step just hashed; a copy is hashed afresh.
  const object = await store.put(temp, "parquet", linked ? written.sha256 : undefined);
  return { dataVersion, data: { kind: "object", object }, ...(await probes(handle)) };
}

/** A read step's output: never copied; its stored data is the source file itself, named by content hash. */
export async function sourceFileOutput(handle: DatasetHandle, dataVersion: string, file: FileVersion): Promise<StoredOutput> {
  return { dataVersion, data: { kind: "source-file", path: file.path, sha256: file.sha256, size: file.size, mtimeMs: file.mtimeMs }, ...(await probes(handle)) };
}

/** Stored data is missing, corrupted, or (for a source file) no longer what was read. */
export class StoredDataError extends Error {}

/** What loading stored data needs. */
export interface LoadContext {
  readonly store: ObjectStore;
  readonly fileVersions: FileVersions;
  readonly runtime: DataRuntime;
}

/**
 * Loads stored data into the run: a Parquet object into a table of the Parquet engine (DuckDB), an Arrow object as an Arrow Table,
 * a source file read again with the step's reader (after checking its content still has the recorded
 * hash). An object whose bytes no longer hash to its name is never read.
 */
/** The form stored data comes back in: a value dataset from JSON, Arrow from Arrow IPC, rows inline, the Parquet engine's (DuckDB's) otherwise. */
export function storedForm(stored: StoredOutput): DatasetForm {
  if (stored.data.kind === "inline") return stored.data.format === "rows" ? "rows" : "value";
  const parquet = parquetEngine().name as DatasetForm;
  if (stored.data.kind !== "object") return parquet;
  return stored.data.object.format === "json" ? "value" : stored.data.object.format === "arrow" ? "arrow" : parquet;
}

export async function loadStoredData(stored: StoredOutput, body: StepBody, ctx: LoadContext): Promise<{ form: DatasetForm; value: unknown }> {
  const data = stored.data;
  if (data.kind === "inline") {
    const text = JSON.stringify(data.value);
    if (sha256Of(text) !== data.sha256) throw new StoredDataError("stored inline data is corrupted (it no longer matches its checksum)");
    return { form: data.format === "rows" ? "rows" : "value", value: JSON.parse(text) as unknown };
  }
  if (data.kind === "recompute") {
    throw new StoredDataError(`this output was not kept (${data.reason}); run with persist: "all" (--persist all) to keep every output`);
  }
  if (data.kind === "source-file") {
    const now = await ctx.fileVersions.of(data.path);
    if (now?.sha256 !== data.sha256) throw new StoredDataError(`the source file ${data.path} changed since it was read`);
    if (body.kind !== "read") throw new StoredDataError("a source-file output belongs to a read step");
    const parquet = parquetEngine();
    return { form: parquet.name as DatasetForm, value: await parquet.storage.readFile(data.path, body.format, body.options, ctx.runtime) };
  }
  const path = await ctx.store.localFile(data.object);
  if (path === undefined) {
    throw new StoredDataError(`stored object ${data.object.sha256} is missing or corrupted (its bytes no longer match its checksum)`);
  }
  if (data.object.format === "arrow") return { form: "arrow", value: (await import("apache-arrow")).tableFromIPC(await readFile(path)) };
  if (data.object.format === "json") return { form: "value", value: JSON.parse(await readFile(path, "utf8")) as unknown };
  const parquet = parquetEngine();
  return { form: parquet.name as DatasetForm, value: await parquet.storage.readParquet(path, ctx.runtime) };
}
