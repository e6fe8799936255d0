import type { EventPayloads, EventType } from "../events/event-types.js";
import type { RunResult } from "../execute/run-result.js";
import type { RunDetail, RunSummaryRow } from "./history-rows.js";
import type { RunFilter } from "./read-history.js";
import type { RunPolicy } from "./run-policy.js";
import type { RunIdentity } from "./run-record.js";
import type { RunFinishDetails } from "./run-snapshot.js";

/** What the start of a run records. */
export interface RunBeginInfo {
  readonly startTime: string;
  readonly pipelinePath?: string;
  readonly policy: RunPolicy;
}

/**
 * Records one run attempt, best-effort: no method throws or rejects, problems go to the `warn` the recorder
 * was made with. `begin` when the run starts, `record` for each event (cheap, never waits), `finish` once.
 */
export interface HistoryRunRecorder {
  /**
   * Records the start of the run; resolves once it is kept where a later process finds it. The run waits for
   * that before its first step, for at most two seconds; `finish` waits for the rest.
   */
  begin(info: RunBeginInfo): Promise<void>;
  /** Records one event of the run (events after `finish` are ignored). */
  record<T extends EventType>(type: T, payload: EventPayloads[T]): void;
  /** Resolves once every event recorded so far is kept somewhere that survives the process. */
  flush(): Promise<void>;
  /** Records the end of the run: its summary, nodes, attempts, events, snapshot and lineage. */
  finish(result: RunResult, details: RunFinishDetails): Promise<void>;
}

/**
 * The run history: where runs are recorded (one {@link HistoryRunRecorder} per run attempt) and read back
 * (`linea history`, `linea lineage`). An implementation keeps what a run that died left behind and makes it
 * visible again in {@link HistoryStore.importOrphans} (and, as the DuckDB one does, on every open).
 *
 * Implementations: `DuckDBHistoryStore` (the default, `.linea/history.duckdb`, with its spool files and lock
 * retries inside it); the tests' in-memory one.
 */
export interface HistoryStore {
  /** Where the history is, for messages (a file, a URL). */
  readonly location: string;
  /** A recorder for one run attempt; `warn` receives its problems. */
  recorder(run: RunIdentity, warn: (message: string) => void): HistoryRunRecorder;
  /** Summary rows of the runs, newest first: one per run attempt. */
  runs(filter?: RunFilter): Promise<RunSummaryRow[]>;
  /** Everything about one run, or undefined for a run the history does not know. */
  run(runId: string): Promise<RunDetail | undefined>;
  /**
   * Imports what runs whose process died left behind (their spools, say), and marks `crashed` the `running`
   * runs of this host whose process is gone. Each run calls it as it starts, in the background.
   */
  importOrphans(): Promise<void>;
}
