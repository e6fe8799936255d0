import type { DataRuntime } from "../data/form-adapter.js";
import type { DanfoModule } from "../data/forms/danfo-frame.js";
import type { DuckRun } from "../engines/duckdb/duck-run.js";
import type { EngineInstance, EngineSession } from "../engines/engine.js";
import { Engines } from "../engines/engines.js";

/**
 * One run's engines, each opened on first use: a pipeline of plain `run` steps never starts DuckDB, and one
 * without danfo steps never loads danfo. Disposing the run releases each session (DuckDB drops the run's
 * tables); the engines themselves are the orchestrator's.
 */
export class RunRuntime implements DataRuntime {
  readonly engines: Engines;
  private readonly sessions = new Map<string, Promise<EngineSession | undefined>>();

  /** `engines`: the orchestrator's; or a DuckDB instance of the caller's own (a worker's), opened on first use. */
  constructor(engines: Engines | (() => Promise<EngineInstance>)) {
    this.engines = engines instanceof Engines ? engines : new Engines({ instances: { duckdb: engines } });
  }

  async session(name: string): Promise<unknown> {
    let session = this.sessions.get(name);
    if (session === undefined) {
      session = this.engines.instance(name).then((instance) => instance?.openRun());
      this.sessions.set(name, session);
    }
    return (await session)?.value;
  }

  /** The run's DuckDB (a convenience for `session("duckdb")`). */
  duckdb(): Promise<DuckRun> {
    return this.session("duckdb") as Promise<DuckRun>;
  }

  /** The danfojs-node module (a convenience for `session("danfo")`). */
  danfo(): Promise<DanfoModule> {
    return this.session("danfo") as Promise<DanfoModule>;
  }

  /** Releases the run's sessions (DuckDB's tables of the run), if it opened any. */
  async dispose(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) await (await session.catch(() => undefined))?.dispose();
  }
}
