import { resolve } from "node:path";
import { HistoryRecorder } from "./history-recorder.js";
import type { HistoryRunRecorder, HistoryStore } from "./history-store.js";
import { withHistoryDatabase } from "./history-database.js";
import { hasAbandonedSpools, SPOOL_BACKLOG } from "./import-spools.js";
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
 * The {@link HistoryStore} in one DuckDB file, written behind: recorders spool each run beside it (its events
 * as they happen, its whole record at its end, {@link HistoryRecorder}), and a run does not open the database
 * at all unless it lasts more than ten seconds (its `running` row, RUNNING_ROW_DELAY_MS). Readers open the file, import the spools
 * waiting (finished runs', and dead processes' as `crashed`), read, and close it ({@link RunHistory}); a run
 * starting imports them only when one died or {@link SPOOL_BACKLOG} have piled up. Lock retries stay inside.
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
   * Imports the spools of finished runs and of dead processes, and marks the latter's runs `crashed` (opening
   * the database does both). A run keeps its spool until it is imported, so when no spool waits there is
   * nothing to do, and the database is not opened.
   */
  importOrphans(): Promise<void> {
    return this.importWhen(true);
  }

  /**
   * What a run starting does: imports the spools only when a run died without finishing (so that it shows as
   * `crashed`) or finished runs' spools have piled up ({@link SPOOL_BACKLOG}); otherwise readers take them in.
   */
  importIfDue(): Promise<void> {
    return this.importWhen(false);
  }

  /** Opens the database (which imports the spools waiting) when {@link hasAbandonedSpools} says there is something to import. */
  private async importWhen(all: boolean): Promise<void> {
    if (!(await hasAbandonedSpools(this.dbPath, all))) return;
    await withHistoryDatabase(this.dbPath, { ...this.options }, async () => undefined);
  }
}
