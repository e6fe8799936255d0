import type { Column, Row } from "../data/dataset.js";
import type { DatasetHandle } from "../data/dataset-handle.js";
import { jsonTypeOf, previewJson, type JsonType } from "../data/json-value.js";

/** What a dataset looked like at a point of the run: its schema, its row count and its first rows. */
export interface Snapshot {
  readonly dataset: string;
  readonly schema: readonly Column[];
  readonly rowCount: number;
  /** The first `sampleRows` rows, with redacted columns masked. */
  readonly sample: readonly Row[];
  /** For a value dataset (no schema, no rows): its JSON type and a short preview. */
  readonly value?: ValueSummary;
}

/** What a snapshot keeps of a value dataset: its JSON type and its compact JSON, cut to {@link VALUE_PREVIEW_CHARS}. */
export interface ValueSummary {
  readonly type: JsonType;
  readonly preview: string;
}

/** How much of a value's JSON a snapshot keeps. */
export const VALUE_PREVIEW_CHARS = 200;

/** The mask that replaces the sample values of redacted columns. */
export const REDACTED = "[redacted]";

/** Rows with the values of `columns` (matched case-insensitively) masked. */
export function redactRows(rows: readonly Row[], columns: ReadonlySet<string>): Row[] {
  if (columns.size === 0) return [...rows];
  return rows.map((row) => {
    const masked: Row = {};
    for (const [key, value] of Object.entries(row)) masked[key] = columns.has(key.toLowerCase()) && value !== null ? REDACTED : value;
    return masked;
  });
}

/**
 * {@link takeSnapshot} at once, when the data can answer without a promise (a value, or rows in memory);
 * else undefined. Throws what the probes throw.
 */
export function takeSnapshotNow(handle: DatasetHandle, sampleRows: number, redact: ReadonlySet<string>): Snapshot | undefined {
  if (handle.kind === "value") {
    const value = handle.peekValue();
    if (value === undefined) return undefined;
    return { dataset: handle.name, schema: [], rowCount: 0, sample: [], value: { type: jsonTypeOf(value), preview: previewJson(value, VALUE_PREVIEW_CHARS, redact, REDACTED) } };
  }
  const probes = handle.probesNow(sampleRows);
  if (probes === undefined) return undefined;
  // The sample is a copy already: masked into another only when some column is redacted.
  return { dataset: handle.name, schema: probes.schema, rowCount: probes.rowCount, sample: redact.size === 0 ? probes.sample : redactRows(probes.sample, redact) };
}

/**
 * Takes a snapshot without converting the data: for a DuckDB table, `DESCRIBE`, a `count(*)` (known
 * already for a table a step made) and `LIMIT n`. Its cost does not grow with the data beyond the count.
 */
export async function takeSnapshot(handle: DatasetHandle, sampleRows: number, redact: ReadonlySet<string>): Promise<Snapshot> {
  if (handle.kind === "value") {
    const value = handle.peekValue() ?? (await handle.value());
    return { dataset: handle.name, schema: [], rowCount: 0, sample: [], value: { type: jsonTypeOf(value), preview: previewJson(value, VALUE_PREVIEW_CHARS, redact, REDACTED) } };
  }
  const [schema, rowCount, sample] = await Promise.all([handle.schema(), handle.rowCount(), handle.sample(sampleRows)]);
  return { dataset: handle.name, schema, rowCount, sample: redactRows(sample, redact) };
}
