/** The SQL types history columns use. */
export const HISTORY_COLUMN_TYPES = ["VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "TIMESTAMPTZ", "JSON"] as const;
export type HistoryColumnType = (typeof HISTORY_COLUMN_TYPES)[number];

/** A table of the current schema: its name, columns (in order) and the columns of its primary key. */
export interface HistoryTable<C extends Readonly<Record<string, HistoryColumnType>>> {
  readonly name: string;
  readonly columns: C;
  readonly key: readonly string[];
}

/** Any table of the schema. */
export type AnyHistoryTable = HistoryTable<Readonly<Record<string, HistoryColumnType>>>;

/** The value a column takes in a record written to the history: ISO strings for times, any JSON for JSON. */
type ValueOf<T extends HistoryColumnType> = T extends "VARCHAR" | "TIMESTAMPTZ" ? string : T extends "JSON" ? unknown : number;

/** One row to write to a table, keyed by column name (snake_case, as in the database). */
export type RecordOf<T extends AnyHistoryTable> = {
  readonly [K in keyof T["columns"]]: ValueOf<T["columns"][K]> | null;
};

function table<const C extends Readonly<Record<string, HistoryColumnType>>>(name: string, columns: C, key: readonly (keyof C & string)[]): HistoryTable<C> {
  return { name, columns, key };
}

// These mirror the schema the migrations build (a test checks them against a migrated database).

/** One row per run attempt. */
export const RUN_SUMMARY = table("run_summary", {
  run_id: "VARCHAR", attempt: "INTEGER", pipeline: "VARCHAR", batch_run_id: "VARCHAR", pipeline_path: "VARCHAR",
  status: "VARCHAR", start_time: "TIMESTAMPTZ", end_time: "TIMESTAMPTZ", duration_ms: "DOUBLE", step_count: "INTEGER",
  success_count: "INTEGER", cached_count: "INTEGER", failed_count: "INTEGER", skipped_count: "INTEGER", exit_code: "INTEGER",
  policy: "JSON", pid: "INTEGER", recorded_at: "TIMESTAMPTZ", host: "VARCHAR", process_start: "VARCHAR", status_note: "VARCHAR",
}, ["run_id", "attempt"]);

/** One row per node per run attempt. */
export const NODE_HISTORY = table("node_history", {
  run_id: "VARCHAR", attempt: "INTEGER", step_name: "VARCHAR", position: "INTEGER", layer: "VARCHAR", status: "VARCHAR",
  kind: "VARCHAR", blocked_by: "VARCHAR", status_reason: "VARCHAR", attempts: "INTEGER", duration_ms: "DOUBLE",
  start_time: "TIMESTAMPTZ", end_time: "TIMESTAMPTZ", row_count: "BIGINT", output_rows: "JSON", cache_key: "VARCHAR",
  reused_from: "VARCHAR", error: "VARCHAR", error_code: "VARCHAR",
}, ["run_id", "attempt", "step_name"]);

/** One row per attempt of a node. */
export const ATTEMPT_HISTORY = table("attempt_history", {
  run_id: "VARCHAR", run_attempt: "INTEGER", step_name: "VARCHAR", attempt: "INTEGER", start_time: "TIMESTAMPTZ",
  duration_ms: "DOUBLE", outcome: "VARCHAR", error: "VARCHAR", error_code: "VARCHAR", retry_delay_ms: "DOUBLE",
}, ["run_id", "run_attempt", "step_name", "attempt"]);

/** One row per event of a run attempt, never updated. */
export const RUN_LOG = table("run_log", {
  run_id: "VARCHAR", attempt: "INTEGER", seq: "BIGINT", event_type: "VARCHAR", event_time: "TIMESTAMPTZ",
  step_name: "VARCHAR", payload: "JSON",
}, ["run_id", "attempt", "seq"]);

/** The run snapshot document of each run attempt. */
export const RUN_SNAPSHOT = table("run_snapshot", { run_id: "VARCHAR", attempt: "INTEGER", document: "JSON" }, ["run_id", "attempt"]);

/** The lineage JSON of each run attempt. */
export const RUN_LINEAGE = table("run_lineage", { run_id: "VARCHAR", attempt: "INTEGER", document: "JSON" }, ["run_id", "attempt"]);

/** Every table of the current schema. */
export const HISTORY_TABLES = [RUN_SUMMARY, NODE_HISTORY, ATTEMPT_HISTORY, RUN_LOG, RUN_SNAPSHOT, RUN_LINEAGE] as const;

export type RunSummaryRecord = RecordOf<typeof RUN_SUMMARY>;
export type NodeHistoryRecord = RecordOf<typeof NODE_HISTORY>;
export type AttemptHistoryRecord = RecordOf<typeof ATTEMPT_HISTORY>;
