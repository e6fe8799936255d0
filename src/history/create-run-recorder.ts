import { HistoryRecorder } from "./history-recorder.js";
import { PostgresHistoryRecorder } from "./postgres/postgres-history-recorder.js";
import { isPostgresUrl } from "./postgres/postgres-url.js";
import type { RunRecorder } from "./run-recorder.js";

/** Who a run is and where its history goes. */
export interface RunRecorderOptions {
  /** A `postgres://` URL, or the (resolved) path of a DuckDB file. */
  readonly target: string;
  readonly runId: string;
  readonly attempt: number;
  readonly pipelineName: string;
  readonly batchRunId: string;
  readonly warn: (message: string) => void;
}

/** The recorder of a run in the history at `target`: PostgreSQL for a `postgres://` URL, else DuckDB. */
export function createRunRecorder(options: RunRecorderOptions): RunRecorder {
  const { target, ...run } = options;
  return isPostgresUrl(target) ? new PostgresHistoryRecorder({ url: target, ...run }) : new HistoryRecorder({ dbPath: target, ...run });
}
