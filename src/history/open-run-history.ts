import type { RunDetail, RunSummaryRow } from "./history-rows.js";
import { PostgresRunHistory } from "./postgres/postgres-run-history.js";
import { isPostgresUrl } from "./postgres/postgres-url.js";
import type { RunFilter } from "./read-history.js";
import { RunHistory } from "./run-history.js";

/** A history to read: the DuckDB file's or PostgreSQL's, alike. */
export interface RunHistoryReader {
  /** Where it is (a PostgreSQL URL with its password masked). */
  readonly dbPath: string;
  runs(filter?: RunFilter): Promise<RunSummaryRow[]>;
  run(runId: string): Promise<RunDetail | undefined>;
}

/** The reader of the history at `target`: a `postgres://` URL, or the path of a DuckDB file. */
export function openRunHistory(target: string): RunHistoryReader {
  return isPostgresUrl(target) ? new PostgresRunHistory(target) : new RunHistory(target);
}
