import { jsonSafeStringify } from "../json-safe-stringify.js";
import { ATTEMPT_HISTORY, NODE_HISTORY, RUN_LINEAGE, RUN_SNAPSHOT, RUN_SUMMARY, type AnyHistoryTable, type RunSummaryRecord } from "../history-tables.js";
import type { RunRecord } from "../run-record.js";
import type { PgClient } from "./postgres-database.js";
import { ident, postgresType } from "./postgres-schema.js";

/** What an insert does with a row whose key is already there. */
type Conflict = "replace" | "ignore";

/**
 * Inserts row objects (keyed by column name) into `table` in one statement: the rows travel as one JSON
 * array and `json_to_recordset` spreads them into columns. JSON columns keep the text written (`json`, not
 * `jsonb`, which reorders keys), so documents read back exactly as the DuckDB history gives them.
 */
export async function insertPgRows(client: PgClient, table: AnyHistoryTable, rows: readonly object[], conflict: Conflict): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(table.columns);
  const names = columns.map(([name]) => ident(name)).join(", ");
  const shape = columns.map(([name, type]) => `${ident(name)} ${postgresType(type)}`).join(", ");
  const update = columns.filter(([name]) => !table.key.includes(name)).map(([name]) => `${ident(name)} = EXCLUDED.${ident(name)}`);
  const onConflict = conflict === "ignore" || update.length === 0
    ? "DO NOTHING"
    : `DO UPDATE SET ${update.join(", ")}`;
  await client.query(
    `INSERT INTO ${ident(table.name)} (${names}) SELECT ${names} FROM json_to_recordset($1::json) AS e(${shape}) ` +
      `ON CONFLICT (${table.key.map(ident).join(", ")}) ${onConflict}`,
    [jsonSafeStringify(rows).replace(/\\u0000/g, "")],
  );
}

/**
 * Writes a finished run's rows (call inside a transaction). Idempotent, as the DuckDB writer: rows replace
 * those of the same key and the run attempt's nodes and attempts are replaced as a whole.
 */
export async function writePgRunRecord(client: PgClient, record: RunRecord): Promise<void> {
  const { run_id: runId, attempt } = record.summary;
  await insertPgRows(client, RUN_SUMMARY, [record.summary], "replace");
  await client.query("DELETE FROM node_history WHERE run_id = $1 AND attempt = $2", [runId, attempt]);
  await client.query("DELETE FROM attempt_history WHERE run_id = $1 AND run_attempt = $2", [runId, attempt]);
  await insertPgRows(client, NODE_HISTORY, record.nodes, "replace");
  await insertPgRows(client, ATTEMPT_HISTORY, record.attempts, "replace");
  await insertPgRows(client, RUN_SNAPSHOT, [{ run_id: runId, attempt, document: record.snapshot }], "replace");
  if (record.lineage !== null) await insertPgRows(client, RUN_LINEAGE, [{ run_id: runId, attempt, document: record.lineage }], "replace");
}

/** Writes the summary row of a run that started; `replace` false keeps a row already there. */
export async function writePgRunningSummary(client: PgClient, summary: RunSummaryRecord, replace: boolean): Promise<void> {
  await insertPgRows(client, RUN_SUMMARY, [summary], replace ? "replace" : "ignore");
}

/** One event of a run attempt, as the recorder keeps it: its payload already JSON text (JSON-safe). */
export interface LoggedEvent {
  readonly seq: number;
  readonly type: string;
  readonly timestamp: string | undefined;
  readonly stepName: string | undefined;
  readonly payloadJson: string;
}

/** Appends events to `run_log`; an event already there (same seq) is kept as it is: the log is append-only. */
export async function appendPgRunLog(client: PgClient, runId: string, attempt: number, events: readonly LoggedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((e) =>
    `{"run_id":${JSON.stringify(runId)},"attempt":${attempt},"seq":${e.seq},"event_type":${JSON.stringify(e.type)},` +
    `"event_time":${JSON.stringify(e.timestamp ?? null)},"step_name":${JSON.stringify(e.stepName ?? null)},"payload":${e.payloadJson}}`);
  await client.query(
    `INSERT INTO run_log (run_id, attempt, seq, event_type, event_time, step_name, payload) ` +
      `SELECT run_id, attempt, seq, event_type, event_time, step_name, payload FROM json_to_recordset($1::json) ` +
      `AS e(run_id text, attempt integer, seq bigint, event_type text, event_time timestamptz, step_name text, payload json) ` +
      `ON CONFLICT (run_id, attempt, seq) DO NOTHING`,
    [`[${rows.join(",")}]`.replace(/\\u0000/g, "")],
  );
}
