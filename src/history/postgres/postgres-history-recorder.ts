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
  /**
   * Events are written in batches while the run goes, at most this long after they happen: a coordinator
   * that dies loses at most this much of its event log. @default 1000
   */
  readonly eventIntervalMs?: number;
}

/** @default for {@link PostgresHistoryRecorderOptions.eventIntervalMs} */
export const PG_EVENT_INTERVAL_MS = 1000;

/**
 * Records one run attempt in a PostgreSQL history: the same rows as the DuckDB {@link HistoryRecorder},
 * best-effort in the same way. PostgreSQL takes many writers at once, so coordinators on several machines
 * share one history without waiting for each other. The run's `running` row is written when it begins, its
 * events in batches while it goes (each batch once the one before it is written: a coordinator that dies
 * leaves its log up to the last batch), and the rest, with the events not yet written, in one transaction at
 * its end. A batch that cannot be written is reported once, and no batch is tried after it: its events and
 * every later one go with the end (events are keyed by their sequence number, so one written twice is kept
 * once).
 */
export class PostgresHistoryRecorder implements RunRecorder {
  private readonly run: RunIdentity;
  private readonly events: LoggedEvent[] = [];
  private seq = 0;
  private begun: Promise<void> = Promise.resolve();
  private finished = false;
  /** How many of `events` are written. */
  private written = 0;
  /** The batch being written, if any. */
  private writing: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** True once a batch (or the start) could not be written: the rest of the events wait for the end. */
  private batchFailed = false;

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
    // From the start on, the events recorded so far are written in batches (the timer never keeps the process alive).
    this.timer ??= setInterval(() => void this.writeBatch(), this.options.eventIntervalMs ?? PG_EVENT_INTERVAL_MS);
    this.timer.unref?.();
    this.begun = this.access("record the start of", (client) => writePgRunningSummary(client, summary, false)).then((ok) => {
      // A history that could not take the start is not tried again until the end (one warning, not one per batch).
      if (!ok) this.batchFailed = true;
    });
    return this.begun;
  }

  observe(events: RunEvents): () => void {
    return events.subscribe("history", (type, payload) => this.record(type, payload));
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Writes the events not yet written, unless a batch is under way (they go with the next one). Never rejects. */
  private writeBatch(): Promise<void> {
    if (this.writing !== undefined || this.finished || this.batchFailed || this.written === this.events.length) return this.writing ?? Promise.resolve();
    const upTo = this.events.length;
    const batch = this.events.slice(this.written, upTo);
    this.writing = this.begun
      .then(() => withPostgresHistory(this.options.url, (client) => appendPgRunLog(client, this.run.runId, this.run.attempt, batch), this.options.connectTimeoutMs))
      .then(() => { this.written = Math.max(this.written, upTo); })
      .catch((error: unknown) => {
        // Not tried again until the end, which writes every event not written yet.
        if (this.batchFailed) return;
        this.batchFailed = true;
        this.options.warn(`could not write the events of run ${q(this.run.runId)} to the history ${q(redactUrl(this.options.url))} while it runs (they are written at its end): ${errorMessage(error)}`);
      })
      .finally(() => { this.writing = undefined; });
    return this.writing;
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

  /** Writes the events not yet written (and waits for a batch under way). Never rejects. */
  async flush(): Promise<void> {
    await this.writing;
    await this.writeBatch();
  }

  async finish(result: RunResult, details: RunFinishDetails): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.stopTimer();
    try {
      await this.begun;
      await this.writing;
      const record = buildRunRecord(result, details, await this.lineageOf(result));
      await this.access("record", async (client) => {
        await writePgRunRecord(client, record);
        await appendPgRunLog(client, this.run.runId, this.run.attempt, this.events.slice(this.written));
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
