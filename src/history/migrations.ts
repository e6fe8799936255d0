import type { DuckDBConnection } from "@duckdb/node-api";
import { HistorySchemaTooNewError } from "./history-errors.js";
import { inTransaction } from "./in-transaction.js";

/**
 * One step of the history schema. A migration, once released, never changes: a new schema is a new
 * migration appended to {@link MIGRATIONS}, with the next version.
 */
export interface Migration {
  /** 1, 2, 3, ...: the schema version the database has once this migration is applied. */
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

const CREATE_TABLES: readonly string[] = [
  `CREATE TABLE run_summary (
    run_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    pipeline VARCHAR NOT NULL,
    batch_run_id VARCHAR,
    pipeline_path VARCHAR,
    status VARCHAR NOT NULL,
    start_time TIMESTAMPTZ NOT NULL,
    end_time TIMESTAMPTZ,
    duration_ms DOUBLE,
    step_count INTEGER,
    success_count INTEGER,
    cached_count INTEGER,
    failed_count INTEGER,
    skipped_count INTEGER,
    exit_code INTEGER,
    policy JSON,
    pid INTEGER,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, attempt)
  )`,
  `CREATE TABLE node_history (
    run_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    step_name VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    layer VARCHAR,
    status VARCHAR NOT NULL,
    kind VARCHAR,
    blocked_by VARCHAR,
    status_reason VARCHAR,
    attempts INTEGER NOT NULL,
    duration_ms DOUBLE NOT NULL,
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,
    row_count BIGINT,
    output_rows JSON,
    cache_key VARCHAR,
    reused_from VARCHAR,
    error VARCHAR,
    error_code VARCHAR,
    PRIMARY KEY (run_id, attempt, step_name)
  )`,
  `CREATE TABLE attempt_history (
    run_id VARCHAR NOT NULL,
    run_attempt INTEGER NOT NULL,
    step_name VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    start_time TIMESTAMPTZ NOT NULL,
    duration_ms DOUBLE NOT NULL,
    outcome VARCHAR NOT NULL,
    error VARCHAR,
    error_code VARCHAR,
    retry_delay_ms DOUBLE,
    PRIMARY KEY (run_id, run_attempt, step_name, attempt)
  )`,
  `CREATE TABLE run_log (
    run_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    seq BIGINT NOT NULL,
    event_type VARCHAR NOT NULL,
    event_time TIMESTAMPTZ,
    step_name VARCHAR,
    payload JSON NOT NULL,
    PRIMARY KEY (run_id, attempt, seq)
  )`,
  `CREATE TABLE run_snapshot (
    run_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    document JSON NOT NULL,
    PRIMARY KEY (run_id, attempt)
  )`,
  `CREATE TABLE run_lineage (
    run_id VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    document JSON NOT NULL,
    PRIMARY KEY (run_id, attempt)
  )`,
];

/** Who owns a run (so that a run whose process died can be told from one still going), and why it ended. */
export const RUN_OWNER_COLUMNS: readonly string[] = [
  "ALTER TABLE run_summary ADD COLUMN host VARCHAR",
  "ALTER TABLE run_summary ADD COLUMN process_start VARCHAR",
  "ALTER TABLE run_summary ADD COLUMN status_note VARCHAR",
];

/** Every migration, in version order. The last one's version is {@link HISTORY_SCHEMA_VERSION}. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: "run_summary, node_history, attempt_history, run_log, run_snapshot, run_lineage", statements: CREATE_TABLES },
  { version: 2, description: "run_summary: host, process_start, status_note", statements: RUN_OWNER_COLUMNS },
  // No change of tables: from this version on, run_snapshot and run_lineage documents may be packed (a JSON
  // string "gzip:<base64>", see packed-document.ts), which a linea of version 2 could not read.
  { version: 3, description: "run_snapshot, run_lineage: documents packed (gzip, base64)", statements: [] },
];

/** The schema version this linea writes and reads. */
export const HISTORY_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** What {@link applyMigrations} did: the schema version found and the one the database has now. */
export interface MigrationOutcome {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

async function currentVersion(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll("SELECT coalesce(max(version), 0) AS version FROM schema_version");
  return Number(reader.getRowsJS()[0]?.[0] ?? 0);
}

/**
 * Brings a history database up to date: creates `schema_version` if missing, then applies every migration
 * newer than the database's version, all in one transaction (a failure leaves the database as it was). A
 * database at a version newer than any migration known here is refused.
 *
 * @throws HistorySchemaTooNewError when the database comes from a newer linea.
 */
export async function applyMigrations(
  connection: DuckDBConnection,
  dbPath: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationOutcome> {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  return inTransaction(connection, async () => {
    await connection.run(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
    );
    const from = await currentVersion(connection);
    if (from > latest) throw new HistorySchemaTooNewError(dbPath, from, latest);
    const missing = migrations.filter((m) => m.version > from);
    for (const migration of missing) {
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run("INSERT INTO schema_version VALUES ($1, $2, now())", [migration.version, migration.description]);
    }
    return { from, to: Math.max(from, latest), applied: missing.map((m) => m.version) };
  });
}
