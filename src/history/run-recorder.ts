import type { RunEvents } from "../events/run-events.js";
import type { RunResult } from "../execute/run-result.js";
import type { RunBeginInfo } from "./history-recorder.js";
import type { RunFinishDetails } from "./run-snapshot.js";

/**
 * What a run asks of whatever records it in a history: the DuckDB {@link HistoryRecorder} and the
 * PostgreSQL recorder. Best-effort: none of these rejects, problems are warnings.
 */
export interface RunRecorder {
  /** Records the start of the run; resolves once it is kept where a later process finds it (the run waits, bounded). */
  begin(info: RunBeginInfo): Promise<void>;
  /** Subscribes to the run's events; returns the unsubscribe function. */
  observe(events: RunEvents): () => void;
  /** Records the end of the run: summary, nodes, attempts, events, snapshot, lineage. */
  finish(result: RunResult, details: RunFinishDetails): Promise<void>;
}
