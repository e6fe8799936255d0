import type { EventPayloads, EventType } from "../../events/event-types.js";
import type { RunEvents } from "../../events/run-events.js";
import type { RunResult } from "../../execute/run-result.js";
import type { LineageDocument } from "../../track/lineage.generated.js";
import { errorMessage } from "../../util/error-message.js";
import { q } from "../../util/quote.js";
import type { RunBeginInfo } from "../history-recorder.js";
import { jsonSafeStringify } from "../json-safe-stringify.js";
import { buildRunRecord, runningSummary, type RunIdentity } from "../run-record.js";
import type { RunRecorder } from "../run-recorder.js";
import type { RunFinishDetails } from "../run-snapshot.js";
import { inPgTransaction, withPostgresHistory, type PgClient } from "./postgres-database.js";
import { redactUrl } from "./postgres-url.js";
import { appendPgRunLog, writePgRunningSummary, writePgRunRecord, type LoggedEvent } from "./write-postgres-record.js";

/** Options of a {@link PostgresHistoryRecorder}. */
export interface PostgresHistoryRecorderOptions {
  /** `postgres://user@host:port/db[?schema=NAME]`. */
  readonly url: string;
  readonly runId: string;
  readonly attempt: number;
  readonly pipelineName: string;
  readonly batchRunId: string;
  /** Receives every problem: recording never throws. */
  readonly warn: (message: string) => void;
  /** How long connecting may take. @default 5000 */
  readonly connectTimeoutMs?: number;
}

/**
 * Records one run attempt in a PostgreSQL history: the same rows as the DuckDB {@link HistoryRecorder},
 * best-effort in the same way. PostgreSQL takes many writers at once, so coordinators on several machines
 * share one history without waiting for each other. The run's `running` row is written when it begins, the
 * rest (events included) in one transaction at its end.
 */
export class PostgresHistoryRecorder implements RunRecorder {
  private readonly run: RunIdentity;
  private readonly events: LoggedEvent[] = [];
  private seq = 0;
  private begun: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(private readonly options: PostgresHistoryRecorderOptions) {
    this.run = { runId: options.runId, attempt: options.attempt, pipelineName: options.pipelineName, batchRunId: options.batchRunId };
  }

  /**
   * Writes the run's `running` row at once: the returned promise resolves once it is committed (or has
   * failed, with a warning), so that a coordinator killed from then on leaves a run that `linea history`
   * shows and `linea resume` finds. Never rejects.
   */
  begin(info: RunBeginInfo): Promise<void> {
    const summary = runningSummary(this.run, { ...info, pid: process.pid });
    this.begun = this.access("record the start of", (client) => writePgRunningSummary(client, summary, false)).then(() => undefined);
    return this.begun;
  }

  observe(events: RunEvents): () => void {
    return events.subscribe("history", (type, payload) => this.record(type, payload));
  }

  /** Keeps one event for the log. Events after `finish` are ignored. */
  record<T extends EventType>(type: T, payload: EventPayloads[T]): void {
    if (this.finished) return;
    const p = payload as unknown as Record<string, unknown>;
    this.events.push({
      seq: ++this.seq, type, payloadJson: jsonSafeStringify(payload),
      timestamp: typeof p.timestamp === "string" ? p.timestamp : undefined,
      stepName: typeof p.stepName === "string" ? p.stepName : undefined,
    });
  }

  /** Events are kept in memory until `finish` writes them. */
  async flush(): Promise<void> {}

  async finish(result: RunResult, details: RunFinishDetails): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.begun;
      const record = buildRunRecord(result, details, await this.lineageOf(result));
      await this.access("record", async (client) => {
        await writePgRunRecord(client, record);
        await appendPgRunLog(client, this.run.runId, this.run.attempt, this.events);
      });
    } catch (error) {
      this.options.warn(`could not record run ${q(this.run.runId)} in the history ${q(redactUrl(this.options.url))}: ${errorMessage(error)}`);
    }
  }

  private async lineageOf(result: RunResult): Promise<LineageDocument | null> {
    try {
      await result.tracker.settled();
      return result.tracker.toLineage();
    } catch (error) {
      this.options.warn(`could not keep the lineage of run ${q(this.run.runId)} in the history: ${errorMessage(error)}`);
      return null;
    }
  }

  private async access(what: string, write: (client: PgClient) => Promise<void>): Promise<boolean> {
    try {
      await withPostgresHistory(this.options.url, (client) => inPgTransaction(client, () => write(client)), this.options.connectTimeoutMs);
      return true;
    } catch (error) {
      this.options.warn(`could not ${what} run ${q(this.run.runId)} (attempt ${this.run.attempt}) in the history: ${errorMessage(error)}`);
      return false;
    }
  }
}
