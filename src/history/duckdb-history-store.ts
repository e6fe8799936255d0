import { resolve } from "node:path";
import { HistoryRecorder } from "./history-recorder.js";
import type { HistoryRunRecorder, HistoryStore } from "./history-store.js";
import { withHistoryDatabase } from "./history-database.js";
import { hasAbandonedSpools } from "./import-spools.js";
import type { RunDetail, RunSummaryRow } from "./history-rows.js";
import type { RunFilter } from "./read-history.js";
import type { RunIdentity } from "./run-record.js";
import { RunHistory } from "./run-history.js";

/** Options of a {@link DuckDBHistoryStore}. */
export interface DuckDBHistoryStoreOptions {
  /** How long to wait while other processes hold the database. @default 30000 */
  readonly lockTimeoutMs?: number;
  /** Receives problems of reading that do not stop it (a spool that could not be imported). */
  readonly warn?: (message: string) => void;
}

/**
 * The {@link HistoryStore} in one DuckDB file: recorders spool each run's events beside it and write the
 * run in one transaction at its end ({@link HistoryRecorder}); readers open the file, import the spools of
 * dead processes, read, and close it ({@link RunHistory}). Lock retries stay inside.
 */
export class DuckDBHistoryStore implements HistoryStore {
  readonly dbPath: string;
  private readonly reader: RunHistory;

  constructor(dbPath: string, private readonly options: DuckDBHistoryStoreOptions = {}) {
    this.dbPath = resolve(dbPath);
    this.reader = new RunHistory(this.dbPath, {
      ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
      ...(options.warn ? { warn: options.warn } : {}),
    });
  }

  get location(): string {
    return this.dbPath;
  }

  recorder(run: RunIdentity, warn: (message: string) => void): HistoryRunRecorder {
    return new HistoryRecorder({
      dbPath: this.dbPath, ...run, warn, ...(this.options.lockTimeoutMs !== undefined ? { lockTimeoutMs: this.options.lockTimeoutMs } : {}),
    });
  }

  runs(filter?: RunFilter): Promise<RunSummaryRow[]> {
    return this.reader.runs(filter);
  }

  run(runId: string): Promise<RunDetail | undefined> {
    return this.reader.run(runId);
  }

  /**
   * Imports the spools of dead processes and marks their runs `crashed` (opening the database does both).
   * A run whose process dies keeps its spool until it is imported, so when no spool is abandoned there is
   * nothing to do, and the database is not opened.
   */
  async importOrphans(): Promise<void> {
    if (!(await hasAbandonedSpools(this.dbPath))) return;
    await withHistoryDatabase(this.dbPath, { ...this.options }, async () => undefined);
  }
}
