import type { RunDetail, RunSummaryRow } from "../history-rows.js";
import { readRunDetail, readRunSummaries, type RowQuery, type RunFilter } from "../read-history.js";
import { reapCrashedRuns } from "../reap-crashed-runs.js";
import { withPostgresHistory, type PgClient } from "./postgres-database.js";
import { redactUrl } from "./postgres-url.js";

/** The history readers' query function over a `pg` client. */
export function pgRows(client: PgClient): RowQuery {
  return async (sql, values) => (await client.query(sql, values)).rows;
}

/**
 * Reads a PostgreSQL run history: the same rows, in the same order and shape, as {@link RunHistory} reads
 * from a DuckDB file (one reader serves both). Each call connects, reads and disconnects.
 *
 * @example
 * ```ts
 * const history = new PostgresRunHistory("postgres://linea@db.internal:5432/linea");
 * const [latest] = await history.runs({ limit: 1 });
 * ```
 */
export class PostgresRunHistory {
  /** The URL with its password masked: what messages show. */
  readonly dbPath: string;

  constructor(private readonly url: string) {
    this.dbPath = redactUrl(url);
  }

  /**
   * Summary rows, newest first (the `running` runs of this host whose process is gone marked `crashed` first).
   * @throws HistoryError when PostgreSQL cannot be reached or read.
   */
  runs(filter: RunFilter = {}): Promise<RunSummaryRow[]> {
    return withPostgresHistory(this.url, async (client) => {
      await reapCrashedRuns(pgRows(client));
      return readRunSummaries(pgRows(client), filter);
    });
  }

  /** Everything about one run; undefined for a run the history does not know. @throws HistoryError */
  run(runId: string): Promise<RunDetail | undefined> {
    return withPostgresHistory(this.url, async (client) => {
      await reapCrashedRuns(pgRows(client));
      return readRunDetail(pgRows(client), runId);
    });
  }
}
