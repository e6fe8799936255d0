import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { withHistoryDatabase, type HistoryAccessOptions } from "./history-database.js";
import { spoolDirOf } from "./history-paths.js";
import type { RunDetail, RunSummaryRow } from "./history-rows.js";
import { readRunDetail, readRunSummaries, type RunFilter } from "./read-history.js";

/**
 * Reads the run history. Each call opens the database, reads, and closes it again (importing first the
 * spools of runs whose process died), retrying while another process holds it, like the recorder does.
 * A database that does not exist yet reads as empty and is not created.
 *
 * @example
 * ```ts
 * const history = new RunHistory(".linea/history.duckdb");
 * const [latest] = await history.runs({ pipeline: "customer_pipeline", limit: 1 });
 * const detail = latest && await history.run(latest.runId);
 * ```
 */
export class RunHistory {
  /** The database file, resolved. */
  readonly dbPath: string;

  constructor(dbPath: string, private readonly options: Omit<HistoryAccessOptions, "migrations"> = {}) {
    this.dbPath = resolve(dbPath);
  }

  /**
   * Summary rows of the runs, newest first: one per run attempt (a resumed run has one per attempt).
   * @throws HistoryError when the database cannot be read.
   */
  async runs(filter: RunFilter = {}): Promise<RunSummaryRow[]> {
    if (!this.exists()) return [];
    return withHistoryDatabase(this.dbPath, this.options, (connection) => readRunSummaries(connection, filter));
  }

  /**
   * Everything about one run: each attempt's summary, nodes, node attempts, event log, snapshot and lineage.
   * Undefined for a run the history does not know.
   * @throws HistoryError when the database cannot be read.
   */
  async run(runId: string): Promise<RunDetail | undefined> {
    if (!this.exists()) return undefined;
    return withHistoryDatabase(this.dbPath, this.options, (connection) => readRunDetail(connection, runId));
  }

  /** False when there is neither a database nor a spool to import into one. */
  private exists(): boolean {
    if (existsSync(this.dbPath)) return true;
    try {
      return readdirSync(spoolDirOf(this.dbPath)).some((file) => file.endsWith(".jsonl"));
    } catch {
      return false;
    }
  }
}
