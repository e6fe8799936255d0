import type { DuckDBConnection } from "@duckdb/node-api";
import { ATTEMPT_HISTORY, NODE_HISTORY, RUN_LINEAGE, RUN_LOG, RUN_SNAPSHOT, RUN_SUMMARY, type RunSummaryRecord } from "./history-tables.js";
import { insertJsonRows, insertJsonText } from "./insert-json-rows.js";
import { packDocument } from "./packed-document.js";
import type { RunRecord } from "./run-record.js";

/** A run record's documents in their stored, packed form (see packed-document.ts). */
export interface PackedDocuments {
  readonly snapshot: string;
  readonly lineage: string | null;
}

/** A run's rows with its two documents either as they are ({@link RunRecord}) or already packed. */
export type StoredRunRecord = RunRecord | (Omit<RunRecord, "snapshot" | "lineage"> & { readonly packed: PackedDocuments });

/** Packs a run record's snapshot and lineage documents (compressed off the main thread, both at once). */
export async function packRecordDocuments(record: Pick<RunRecord, "snapshot" | "lineage">): Promise<PackedDocuments> {
  const [snapshot, lineage] = await Promise.all([packDocument(record.snapshot), record.lineage === null ? null : packDocument(record.lineage)]);
  return { snapshot, lineage };
}

/**
 * Writes a finished run's rows (call inside a transaction). Idempotent: every row replaces the one of the
 * same key, and the nodes and attempts of the run attempt are replaced as a whole, so writing the same
 * record twice (a spool imported after its own process had written it) changes nothing. The snapshot and
 * lineage documents are stored packed (packed here unless the record comes with them packed: a spool's).
 */
export async function writeRunRecord(connection: DuckDBConnection, record: StoredRunRecord): Promise<void> {
  const documents = "packed" in record ? record.packed : await packRecordDocuments(record);
  const { run_id: runId, attempt } = record.summary;
  await insertJsonRows(connection, RUN_SUMMARY, [record.summary], "replace");
  await connection.run("DELETE FROM node_history WHERE run_id = $1 AND attempt = $2", [runId, attempt]);
  await connection.run("DELETE FROM attempt_history WHERE run_id = $1 AND run_attempt = $2", [runId, attempt]);
  // Deleted just above, in the same transaction: plain inserts (a key check per row made these the slowest part).
  await insertJsonRows(connection, NODE_HISTORY, record.nodes, "insert");
  await insertJsonRows(connection, ATTEMPT_HISTORY, record.attempts, "insert");
  await connection.run(`INSERT OR REPLACE INTO ${RUN_SNAPSHOT.name} (run_id, attempt, document) VALUES ($1, $2, $3::JSON)`, [runId, attempt, JSON.stringify(documents.snapshot)]);
  if (documents.lineage !== null) {
    await connection.run(`INSERT OR REPLACE INTO ${RUN_LINEAGE.name} (run_id, attempt, document) VALUES ($1, $2, $3::JSON)`, [runId, attempt, JSON.stringify(documents.lineage)]);
  }
}

/** Writes the summary row of a run that started, unless the run already has one (which then says more). */
export async function writeRunningSummary(connection: DuckDBConnection, summary: RunSummaryRecord, replace = false): Promise<void> {
  await insertJsonRows(connection, RUN_SUMMARY, [summary], replace ? "replace" : "ignore");
}

/**
 * Appends a run attempt's events to `run_log`. `eventLines` are the spool's event lines: JSON objects
 * `{ "kind": "event", "seq": n, "type": ..., "payload": {...} }`. Events already there (same seq) are kept
 * as they are: the log is append-only.
 */
export async function appendRunLog(connection: DuckDBConnection, runId: string, attempt: number, eventLines: readonly string[]): Promise<void> {
  if (eventLines.length === 0) return;
  const text = `[${eventLines.join(",")}]`;
  const expressions = {
    run_id: "$2::VARCHAR",
    attempt: "$3::INTEGER",
    event_type: "e.\"type\"",
    event_time: "e.payload->>'timestamp'",
    step_name: "e.payload->>'stepName'",
  };
  // Events already there are left out by an anti-join, then the rest are plain inserts (no key check per row).
  const where = "NOT EXISTS (SELECT 1 FROM run_log r WHERE r.run_id = $2::VARCHAR AND r.attempt = $3::INTEGER AND r.seq = e.seq)";
  await insertJsonText(connection, RUN_LOG, text, "insert", { expressions, fields: { type: "VARCHAR" }, where }, [runId, attempt]);
}
