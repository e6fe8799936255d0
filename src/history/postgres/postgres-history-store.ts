import type { HistoryRunRecorder, HistoryStore } from "../history-store.js";
import type { RunDetail, RunSummaryRow } from "../history-rows.js";
import type { RunFilter } from "../read-history.js";
import type { RunIdentity } from "../run-record.js";
import { PostgresHistoryRecorder } from "./postgres-history-recorder.js";
import { reapCrashedRuns } from "../reap-crashed-runs.js";
import { withPostgresHistory } from "./postgres-database.js";
import { pgRows, PostgresRunHistory } from "./postgres-run-history.js";
import { redactUrl } from "./postgres-url.js";

/**
 * The {@link HistoryStore} in PostgreSQL (`historyDb: "postgres://..."`): the same rows as the DuckDB
 * history; many coordinators may write at once. Nothing is spooled, so there is nothing to import; a run
 * whose process died keeps its `running` row (written when the run begins) until a reader or a run on
 * the same host finds the process gone and marks it `crashed` (runs of other hosts are left alone).
 */
export class PostgresHistoryStore implements HistoryStore {
  private readonly reader: PostgresRunHistory;

  constructor(private readonly url: string) {
    this.reader = new PostgresRunHistory(url);
  }

  /** The URL, its password masked. */
  get location(): string {
    return redactUrl(this.url);
  }

  recorder(run: RunIdentity, warn: (message: string) => void): HistoryRunRecorder {
    return new PostgresHistoryRecorder({ url: this.url, ...run, warn });
  }

  runs(filter?: RunFilter): Promise<RunSummaryRow[]> {
    return this.reader.runs(filter);
  }

  run(runId: string): Promise<RunDetail | undefined> {
    return this.reader.run(runId);
  }

  /** Marks `crashed` the `running` runs of this host whose process is gone. */
  async importOrphans(): Promise<void> {
    await withPostgresHistory(this.url, (client) => reapCrashedRuns(pgRows(client)));
  }
}
