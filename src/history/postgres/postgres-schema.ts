import { assertNever } from "../../util/assert-never.js";
import { HISTORY_TABLES, type AnyHistoryTable, type HistoryColumnType } from "../history-tables.js";
import { HISTORY_SCHEMA_VERSION } from "../migrations.js";

/** The PostgreSQL type of a history column: the same tables as the DuckDB history, in PostgreSQL's words. */
export function postgresType(type: HistoryColumnType): string {
  switch (type) {
    case "VARCHAR":
      return "text";
    case "INTEGER":
      return "integer";
    case "BIGINT":
      return "bigint";
    case "DOUBLE":
      return "double precision";
    case "TIMESTAMPTZ":
      return "timestamptz";
    case "JSON":
      return "json"; // not jsonb: documents read back with their keys in the order written, as from DuckDB
    default:
      return assertNever(type, "column type");
  }
}

/** Column names are fixed identifiers of the schema, never user input; quoted anyway. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Columns that may not be null (as in the DuckDB schema). */
const NOT_NULL: Readonly<Record<string, readonly string[]>> = {
  run_summary: ["run_id", "attempt", "pipeline", "status", "start_time", "recorded_at"],
  node_history: ["run_id", "attempt", "step_name", "position", "status", "attempts", "duration_ms"],
  attempt_history: ["run_id", "run_attempt", "step_name", "attempt", "start_time", "duration_ms", "outcome"],
  run_log: ["run_id", "attempt", "seq", "event_type", "payload"],
  run_snapshot: ["run_id", "attempt", "document"],
  run_lineage: ["run_id", "attempt", "document"],
};

function createTable(table: AnyHistoryTable): string {
  const required = new Set(NOT_NULL[table.name] ?? []);
  const columns = Object.entries(table.columns).map(([name, type]) => `${ident(name)} ${postgresType(type)}${required.has(name) ? " NOT NULL" : ""}`);
  return `CREATE TABLE IF NOT EXISTS ${ident(table.name)} (${columns.join(", ")}, PRIMARY KEY (${table.key.map(ident).join(", ")}))`;
}

/**
 * The statements that build the history schema in PostgreSQL: the tables of the DuckDB history (same
 * names, columns and keys) and the same `schema_version` table. Each is idempotent.
 */
export function postgresSchemaStatements(): string[] {
  return [
    "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL)",
    ...HISTORY_TABLES.map(createTable),
    // Columns added after the first schema, for databases built before them.
    ...["host", "process_start", "status_note"].map((column) => `ALTER TABLE run_summary ADD COLUMN IF NOT EXISTS ${ident(column)} text`),
    "CREATE INDEX IF NOT EXISTS run_summary_start ON run_summary (start_time DESC)",
  ];
}

/** The schema version the PostgreSQL history is at once built: the DuckDB history's. */
export const POSTGRES_SCHEMA_VERSION = HISTORY_SCHEMA_VERSION;
