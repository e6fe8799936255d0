import type { Column, Row } from "../data/dataset.js";
import type { DatasetHandle } from "../data/dataset-handle.js";

/** What a dataset looked like at a point of the run: its schema, its row count and its first rows. */
export interface Snapshot {
  readonly dataset: string;
  readonly schema: readonly Column[];
  readonly rowCount: number;
  /** The first `sampleRows` rows, with redacted columns masked. */
  readonly sample: readonly Row[];
}

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
 * Takes a snapshot without converting the data: for a DuckDB table, `DESCRIBE`, a `count(*)` (known
 * already for a table a step made) and `LIMIT n`. Its cost does not grow with the data beyond the count.
 */
export async function takeSnapshot(handle: DatasetHandle, sampleRows: number, redact: ReadonlySet<string>): Promise<Snapshot> {
  const [schema, rowCount, sample] = await Promise.all([handle.schema(), handle.rowCount(), handle.sample(sampleRows)]);
  return { dataset: handle.name, schema, rowCount, sample: redactRows(sample, redact) };
}
