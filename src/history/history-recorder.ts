import type { DuckDBConnection } from "@duckdb/node-api";
import { resolve } from "node:path";
import { InvalidOptionsError } from "../errors/linea-error.js";
import type { EventPayloads, EventType } from "../events/event-types.js";
import type { RunEvents } from "../events/run-events.js";
import type { RunResult } from "../execute/run-result.js";
import { lineageWithSnapshotRefs, type LineageWithSnapshotRefs } from "../track/build-lineage.js";
import type { LineageDocument } from "../track/lineage.generated.js";
import { errorMessage } from "../util/error-message.js";
import { isSafeId } from "../util/ids.js";
import { q } from "../util/quote.js";
import { withHistoryDatabase } from "./history-database.js";
import { databaseName, doneSpoolPath, spoolPathFor } from "./history-paths.js";
import { jsonSafeStringify } from "./json-safe-stringify.js";
import { compactRunRecordPieces } from "./compact-run-record.js";
import { inTransaction } from "./in-transaction.js";
import { ownerFields } from "./process-owner.js";
import { buildRunRecord, runningSummary, type RunIdentity } from "./run-record.js";
import type { RunFinishDetails } from "./run-snapshot.js";
import { readSpool, type SpoolBegin, type SpoolFinish, type SpoolHeader } from "./spool-line.js";
import { SpoolWriter } from "./spool-writer.js";
import { appendRunLog, writeRunningSummary, writeRunRecord } from "./write-run-record.js";
import type { HistoryRunRecorder, RunBeginInfo } from "./history-store.js";

export type { RunBeginInfo } from "./history-store.js";

/** Options of a {@link HistoryRecorder}. */
export interface HistoryRecorderOptions {
  /** The history database file (e.g. `.linea/history.duckdb`). */
  readonly dbPath: string;
  /** The run's id: it names the spool file, so it must be a safe id (as linea's own are). */
  readonly runId: string;
  /** 1 for a fresh run, 2 and up for its resumes. */
  readonly attempt: number;
  readonly pipelineName: string;
  readonly batchRunId: string;
  /** Receives every problem: recording never throws. */
  readonly warn: (message: string) => void;
  /** How long to wait while other processes hold the database. @default 30000 */
  readonly lockTimeoutMs?: number;
  /**
   * Events are spooled in batches, at most this long after they happen: a process that dies loses at most
   * this much of its event log (its checkpoint still has every step that succeeded). @default 250
   */
  readonly spoolIntervalMs?: number;
  /** How long the run goes before its `running` row is written into the database. @default {@link RUNNING_ROW_DELAY_MS} */
  readonly runningRowDelayMs?: number;
}

/** @default for {@link HistoryRecorderOptions.spoolIntervalMs} */
export const SPOOL_INTERVAL_MS = 250;


/**
 * Records one run attempt in the history, best-effort: nothing it does throws or fails the run; problems
 * go to `warn`. The history is written behind: the run spools its start at once, its events while it goes
 * (in batches), and at its end its whole record (summary, nodes, attempts, snapshot, lineage), to
 * `<db dir>/history-spool/<runId>.<attempt>.<pid>.jsonl`, renamed `....done.jsonl` once whole. The next
 * process to open the history imports it, in one transaction, and deletes it; a spool whose process died
 * unfinished is imported as `crashed`. A run that lasts more than {@link RUNNING_ROW_DELAY_MS} also writes
 * its `running` row into the database, so that readers of the database alone see it. Only when the spool
 * cannot be written does `finish` write the record into the database itself.
 *
 * @example
 * ```ts
 * const recorder = new HistoryRecorder({ dbPath: ".linea/history.duckdb", runId, attempt: 1, pipelineName, batchRunId, warn });
 * void recorder.begin({ startTime: new Date().toISOString(), policy });
 * const stop = recorder.observe(events);
 * // ... the run ...
 * stop();
 * await recorder.finish(result, { exitCode: result.status === "success" ? 0 : 1, policy });
 * ```
 */
/**
 * How long a run goes before its `running` summary row is written (a shorter run is recorded at its end
 * only). Writing it opens the database (creating it the first time) and checkpoints it on close: about 0.3 s
 * of CPU, which in a run of a few seconds competes with its steps (the W1 benchmark's cold run, 5 s on two
 * cores, lost about 0.4 s to it at 1 s), and in a run of minutes does not matter.
 */
export const RUNNING_ROW_DELAY_MS = 10_000;

/** `first`, the pieces of `middle`, then `last`. */
function* concat(first: string, middle: Iterable<string>, last: string): Generator<string, void, undefined> {
  yield first;
  yield* middle;
  yield last;
}

/** The number of an event line (`{"kind":"event","seq":n,...}`); 0 for another line. */
function seqOf(line: string): number {
  const match = /^\{"kind":"event","seq":(\d+),/.exec(line);
  return match === null ? 0 : Number(match[1]);
}

export class HistoryRecorder implements HistoryRunRecorder {
  private readonly dbPath: string;
  private readonly run: RunIdentity;
  private readonly spool: SpoolWriter;
  private header: string | undefined;
  private seq = 0;
  private begun: Promise<void> = Promise.resolve();
  /** Set while the `running` row is still waiting for its delay: settles `begun` without writing it. */
  private skipRunningRow: (() => void) | undefined;
  private cancelRunningRow: (() => void) | undefined;
  private finished = false;

  /** @throws InvalidOptionsError when `runId` is not a safe id (it names a file). */
  constructor(private readonly options: HistoryRecorderOptions) {
    if (!isSafeId(options.runId)) {
      throw new InvalidOptionsError("runId", `Expected \`runId\` to be a run id like "run-20261121T221600Z-3f9a1c2b" (letters, digits, "_", ".", "-"), got ${q(options.runId)}`);
    }
    this.dbPath = resolve(options.dbPath);
    this.run = { runId: options.runId, attempt: options.attempt, pipelineName: options.pipelineName, batchRunId: options.batchRunId };
    const spoolPath = spoolPathFor(this.dbPath, options.runId, options.attempt);
    this.spool = new SpoolWriter(spoolPath, (message) => this.options.warn(
      `could not spool the events of run ${q(options.runId)} to ${q(spoolPath)}: ${message}. ` +
        "They are kept in memory and written to the history when the run finishes.",
    ), { intervalMs: options.spoolIntervalMs ?? SPOOL_INTERVAL_MS });
    const header: SpoolHeader = {
      kind: "header", format: 1, db: databaseName(this.dbPath), ...this.run, pid: process.pid, ...ownerFields(), createdAt: new Date().toISOString(),
    };
    this.header = JSON.stringify(header);
  }

  /**
   * Records the start of the run: spools it at once (the returned promise resolves once the spool file
   * holds it, so that a process killed from then on leaves a run that the next open of the history shows),
   * and writes its `running` summary row (importing the spools of dead processes first) once the run has
   * gone on for {@link RUNNING_ROW_DELAY_MS}: a shorter run is recorded whole by `finish` before anyone could
   * see it running, and would pay ~50 ms for nothing. Never rejects.
   */
  begin(info: RunBeginInfo): Promise<void> {
    const begin: SpoolBegin = { kind: "begin", ...info };
    this.spoolLine(jsonSafeStringify(begin));
    const summary = runningSummary(this.run, { ...info, pid: process.pid });
    this.begun = new Promise<void>((resolve) => {
      this.skipRunningRow = resolve;
      const timer = setTimeout(() => {
        this.skipRunningRow = undefined;
        void this.access("record the start of", (connection) => writeRunningSummary(connection, summary, true)).then(() => resolve());
      }, this.options.runningRowDelayMs ?? RUNNING_ROW_DELAY_MS);
      timer.unref();
      this.cancelRunningRow = () => clearTimeout(timer);
    });
    return this.spool.flush();
  }

  /** The run's spool file (renamed `....done.jsonl` once it holds the run's whole record). */
  get spoolPath(): string {
    return this.spool.path;
  }

  /** Resolves once the `running` summary row is written, or has failed, or was skipped by an early `finish`. */
  runningRowSettled(): Promise<void> {
    return this.begun;
  }

  /** Subscribes to the run's events; returns the unsubscribe function. */
  observe(events: RunEvents): () => void {
    return events.subscribe("history", (type, payload) => this.record(type, payload));
  }

  /**
   * Spools one event (what `observe` does for each). Cheap: one line queued; the file write happens later.
   * Events after `finish` are ignored.
   */
  record<T extends EventType>(type: T, payload: EventPayloads[T]): void {
    if (this.finished) return;
    const line = `{"kind":"event","seq":${++this.seq},"type":${JSON.stringify(type)},"payload":${jsonSafeStringify(payload)}}`;
    this.spoolLine(line);
  }

  /** Resolves once every line spooled so far is in the spool file (or spooling has failed). */
  flush(): Promise<void> {
    return this.spool.flush();
  }

  /**
   * Records the end of the run: summary, nodes, attempts, event log, snapshot and lineage, spooled and the
   * spool marked finished, for the next reader to import (or, if the spool could not be written, in one
   * transaction on the database). Never rejects; a failure is a warning. Call once, after the run (later calls
   * do nothing).
   */
  async finish(result: RunResult, details: RunFinishDetails): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      if (this.skipRunningRow !== undefined) {
        // The run ended before its `running` row was due: the record written now is all anyone will see.
        this.cancelRunningRow?.();
        this.skipRunningRow();
      }
      await this.begun;
      // The spool holds the record compact (each fact once: see compact-run-record.ts), for the importer to
      // expand and pack (see packed-document.ts) off the run's critical path: a 10,000-step run's record as
      // rows and documents is 25 MB of JSON, and writing it was a quarter of the run. The finish line,
      // `{"kind":"finish","compact":{...}}`, is written in pieces as the spool takes them, never one string.
      const finish: SpoolFinish["kind"] = "finish";
      this.spoolLine(concat(`{"kind":"${finish}","compact":`, compactRunRecordPieces(result, details, await this.compactLineageOf(result)), "}"));
      await this.spool.flush();
      // Written behind: the finished spool holds the whole record, and the next reader of the history (or a
      // run starting, once enough wait) takes it in. Only when it cannot be kept is the database written now.
      if (await this.spoolFinished()) return;
      await this.access("record", async (connection) => {
        await writeRunRecord(connection, buildRunRecord(result, details, await this.lineageOf(result)));
        await appendRunLog(connection, this.run.runId, this.run.attempt, await this.spooledEvents());
      }, () => this.spool.remove().catch(() => undefined)); // a spool left behind is imported again, to the same rows
    } catch (error) {
      this.options.warn(`could not record run ${q(this.run.runId)} in the history ${q(this.dbPath)}: ${errorMessage(error)}`);
    } finally {
      this.spool.release();
    }
  }

  /** Marks the spool finished (renamed `.done`), when it was written whole; false if it was not, or cannot be. */
  private async spoolFinished(): Promise<boolean> {
    if (this.spool.broken) return false;
    try {
      await this.spool.moveTo(doneSpoolPath(this.spool.path));
      return !this.spool.broken;
    } catch {
      return false;
    }
  }

  /**
   * The run's event lines, for the database when the spool cannot be kept: those the spool file holds, then
   * those that never reached it (the recorder keeps no copy of its own: a run's events are megabytes).
   */
  private async spooledEvents(): Promise<string[]> {
    const written = (await readSpool(this.spool.path).catch(() => undefined))?.eventLines ?? [];
    let last = written.length === 0 ? 0 : seqOf(written[written.length - 1] as string);
    const events = [...written];
    for (const line of this.spool.unwritten()) {
      if (typeof line !== "string") continue;
      const seq = seqOf(line);
      if (seq > last) {
        events.push(line);
        last = seq;
      }
    }
    return events;
  }

  /** The run's lineage document, or null (with a warning) when the tracker cannot give it. */
  private async lineageOf(result: RunResult): Promise<LineageDocument | null> {
    try {
      await result.tracker.settled();
      return result.tracker.toLineage();
    } catch (error) {
      this.warnLineage(error);
      return null;
    }
  }

  /**
   * The run's lineage document for its compact record (its step records made as they are written); null (with
   * a warning) when the tracker cannot give it.
   */
  private async compactLineageOf(result: RunResult): Promise<LineageWithSnapshotRefs | null> {
    try {
      await result.tracker.settled();
      return lineageWithSnapshotRefs(result.tracker);
    } catch (error) {
      this.warnLineage(error);
      return null;
    }
  }

  private warnLineage(error: unknown): void {
    this.options.warn(`could not keep the lineage of run ${q(this.run.runId)} in the history: ${errorMessage(error)}`);
  }

  private spoolLine(line: string | Iterable<string>): void {
    if (this.header !== undefined) {
      this.spool.append(this.header);
      this.header = undefined;
    }
    this.spool.append(line);
  }

  /**
   * One transaction on the database; `after` runs once it is committed, while the database is still held.
   * A failure is a warning that says where the run's record is kept.
   */
  private async access(
    what: string,
    write: (connection: DuckDBConnection) => Promise<void>,
    after?: () => Promise<void>,
  ): Promise<boolean> {
    try {
      await withHistoryDatabase(this.dbPath, { lockTimeoutMs: this.options.lockTimeoutMs, warn: this.options.warn }, async (connection) => {
        await inTransaction(connection, () => write(connection));
        await after?.();
      });
      return true;
    } catch (error) {
      this.options.warn(`could not ${what} run ${q(this.run.runId)} (attempt ${this.run.attempt}) in the history: ${errorMessage(error)} ${this.keptWhere()}`);
      return false;
    }
  }

  private keptWhere(): string {
    return this.spool.broken
      ? "Its spool could not be written either: this part of its history is lost."
      : `It is kept in ${q(this.spoolPath)}, which the next linea process to open the history imports.`;
  }
}
