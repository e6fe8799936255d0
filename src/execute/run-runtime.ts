import type { DataRuntime } from "../data/form-adapter.js";
import { loadDanfo, type DanfoModule } from "../engines/danfo/load-danfo.js";
import { DuckRun } from "../engines/duckdb/duck-run.js";
import type { DuckDBEngine } from "../engines/duckdb/duckdb-engine.js";

/**
 * One run's engines, opened on first use: a pipeline of plain `run` steps never starts DuckDB, and one
 * without danfo steps never loads danfo.
 */
export class RunRuntime implements DataRuntime {
  private duckRun: Promise<DuckRun> | undefined;

  constructor(private readonly engine: () => Promise<DuckDBEngine>) {}

  duckdb(): Promise<DuckRun> {
    this.duckRun ??= this.engine().then((engine) => DuckRun.create(engine));
    return this.duckRun;
  }

  danfo(): Promise<DanfoModule> {
    return loadDanfo();
  }

  /** Drops the run's DuckDB tables, if it made any. */
  async dispose(): Promise<void> {
    if (this.duckRun === undefined) return;
    const run = await this.duckRun.catch(() => undefined);
    this.duckRun = undefined;
    await run?.dispose();
  }
}
