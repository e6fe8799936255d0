import type { HistoryRunRecorder, HistoryStore } from "../history-store.js";
import type { RunDetail, RunSummaryRow } from "../history-rows.js";
import type { RunFilter } from "../read-history.js";
import type { RunIdentity } from "../run-record.js";
import { PostgresHistoryRecorder } from "./postgres-history-recorder.js";
import { PostgresRunHistory } from "./postgres-run-history.js";
import { redactUrl } from "./postgres-url.js";

/**
 * The {@link HistoryStore} in PostgreSQL (`historyDb: "postgres://..."`): the same rows as the DuckDB
 * history; many coordinators may write at once. A run whose process died keeps its `running` row (written
 * a second into the run), so there is nothing to import.
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

  async importOrphans(): Promise<void> {
    // Nothing is spooled: PostgreSQL takes every write as it comes.
  }
}
