import type { DataMap } from "../data/data-map.js";
import type { DatasetHandle } from "../data/dataset-handle.js";
import type { EventPayloads, EventType } from "../events/event-types.js";
import type { RunEvents } from "../events/run-events.js";
import type { AttemptOutcome } from "../execute/node-result.js";
import type { ExecutionPlan } from "../plan/execution-plan.js";
import type { StepInput, StepSpec } from "../step/step-spec.js";
import { assertNever } from "../util/assert-never.js";
import { errorMessage } from "../util/error-message.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { registerLiveRun } from "./live-runs.js";
import { buildLineage } from "./build-lineage.js";
import { columnImpactTree, columnLineageTree, type ColumnTreeNode } from "../lineage/column-tree.js";
import { renderHtmlReport, type HtmlReportOptions } from "./html/render-html-report.js";
import { buildOpenLineageEvents } from "./openlineage/build-openlineage-events.js";
import { exportOpenLineage, type OpenLineageExportSummary, type OpenLineageTarget } from "./openlineage/export-openlineage.js";
import type { OpenLineageOptions } from "./openlineage/openlineage-options.js";
import type { OpenLineageRunEvent } from "./openlineage/openlineage-types.js";
import type { LineageDocument } from "./lineage.generated.js";
import { diffSchemas } from "./schema-diff.js";
import { takeSnapshot, takeSnapshotNow, type Snapshot } from "./snapshot.js";
import { isPromiseLike } from "../util/is-promise-like.js";
import type { StepExecution, TrackedAttempt, TrackedBody } from "./step-execution.js";
import { EMPTY_ARRAY, EMPTY_RECORD } from "../util/empty.js";
import { keyedRecord } from "../util/keyed-record.js";
import type { NodeResult } from "../model/run-model.js";
import { replayResult } from "./replay-result.js";

/** What a tracker is told about its run. */
export interface TrackerOptions {
  readonly pipelineName: string;
  readonly runId: string;
  readonly batchRunId: string;
  readonly runAttempt?: number;
  readonly plan: ExecutionPlan;
  readonly specs: readonly StepSpec[];
  /** The plan's order as indices into `specs` (the planner's own); without it, found from `plan.order`'s names. */
  readonly order?: readonly number[];
  /** The folder relative read and write paths resolve against. @default process.cwd() */
  readonly baseDir?: string;
  /** Where the run's datasets are; without it (or with `snapshots: false`) no data is probed. */
  readonly dataMap?: DataMap;
  readonly snapshots?: boolean;
  /** Sample rows per snapshot; 0 keeps none. @default 5 */
  readonly sampleRows?: number;
  /** Columns whose sample values are masked in every snapshot and export. */
  readonly redact?: readonly string[];
  readonly warn?: (message: string) => void;
  /**
   * Nobody can observe the run while it goes (no snapshots, no event bus, no history): the records are made
   * from the nodes' results once the run ends ({@link Tracker.recordResults}), when first asked for, rather
   * than from events no one else needs.
   */
  readonly fromResults?: boolean;
}

function bodyOf(spec: StepSpec): TrackedBody {
  const body = spec.body;
  switch (body.kind) {
    case "sql": return { kind: "sql", sql: body.sql };
    case "run": return { kind: "run", engine: body.engine, source: body.fn.toString() };
    case "read":
    case "write": return { kind: body.kind, path: body.path, format: body.format };
    default: return assertNever(body, "step body");
  }
}

/**
 * Adds an attempt to a record's log. The log starts as the shared frozen empty array, and its first entry
 * makes a new array of one rather than a push (a pushed empty array keeps room for 17, for every step of a run);
 * a frozen log is copied, never pushed to.
 */
function appendAttempt(r: StepExecution, entry: TrackedAttempt): void {
  if (r.attemptLog.length === 0) r.attemptLog = entry.attempt === 1 && entry.outcome === "success" && entry.errorMessage === undefined ? FIRST_TRY_SUCCEEDED : [entry];
  else if (Object.isFrozen(r.attemptLog)) r.attemptLog = [...r.attemptLog, entry];
  else r.attemptLog.push(entry);
}

/**
 * Files a snapshot in a record's before or after snapshots, making the record of them at the first: a
 * step's records start as the shared frozen empty record (a step without inputs never has a before).
 */
function fileUnder(r: StepExecution, side: "beforeSnapshots" | "afterSnapshots", key: string, snapshot: Snapshot): void {
  let into = r[side];
  if (into === EMPTY_RECORD) {
    into = keyedRecord<Snapshot>();
    r[side] = into;
  }
  into[key] = snapshot;
}

/** A first attempt that succeeded, as nearly every step's is. */
const FIRST_ATTEMPT_SUCCESS: TrackedAttempt = Object.freeze({ attempt: 1, outcome: "success" } as const);

/** The log of a step that succeeded at its first attempt: one frozen log they all share. */
const FIRST_TRY_SUCCEEDED = Object.freeze([FIRST_ATTEMPT_SUCCESS]) as unknown as TrackedAttempt[];

function finalOutcome(p: EventPayloads["node_error"]): AttemptOutcome {
  if (p.statusReason === "interrupted") return "interrupted";
  return p.errorCode === "STEP_TIMEOUT" ? "timeout" : "failed";
}

/**
 * Records every step of a run from its events, one record per step (never a "current step" slot, so
 * steps running at the same time never mix), with a snapshot of each input and output. A dataset's
 * snapshot is taken once and shared by its producer and its consumers; snapshots are SQL probes on their
 * own connections and never hold a step up. A failing probe is a warning, never a failure of the run.
 * A consumer's input snapshots (its producers' output snapshots) are filed, and the records' derived fields
 * computed, when the records are first read: a run waits only for its probes ({@link Tracker.landed}).
 */
export class Tracker {
  readonly pipelineName: string;
  readonly runId: string;
  readonly batchRunId: string;
  readonly runAttempt: number;
  readonly plan: ExecutionPlan;
  /** The folder the run's relative file paths resolve against. */
  readonly baseDir: string;
  status: "running" | "success" | "failed" = "running";
  startTime: string | undefined;
  endTime: string | undefined;
  durationMs = 0;
  readonly redactedColumns: readonly string[];
  /** Each step's record, by its index in the specs (events name their step's index). */
  private records: StepExecution[];
  /** With `fromResults`: the nodes' results (by spec index) the records are made from when first asked for. */
  private results: readonly (NodeResult | undefined)[] | undefined;
  /** The step indices in plan order. */
  private readonly order: readonly number[];
  /** Step name to index, made when a record is first asked for by name. */
  private indexByName: Map<string, number> | undefined;
  /** Each dataset's snapshot, or the probe under way; null when probing it failed. */
  private readonly snapshotOf = new Map<DatasetHandle, Snapshot | null | Promise<Snapshot | undefined>>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Records whose snapshots changed since their derived fields were computed. */
  private readonly dirty = new Set<StepExecution>();
  /**
   * Records of steps that started, whose input snapshots are not filed yet: each input's snapshot is its
   * producer's output snapshot, taken when that step ended (the data does not change), so filing it waits
   * until the records are read ({@link fileInputs}). A run whose tracker nobody reads does not pay for it.
   */
  private unfiled: StepExecution[] = [];
  /** The datasets the run reads without making them (sources, a selection's reused inputs): snapshotted as their readers start. */
  private readonly sources: ReadonlySet<string>;
  private readonly redact: ReadonlySet<string>;

  constructor(private readonly options: TrackerOptions) {
    this.pipelineName = options.pipelineName;
    this.runId = options.runId;
    this.batchRunId = options.batchRunId;
    this.runAttempt = options.runAttempt ?? 1;
    this.plan = options.plan;
    this.baseDir = options.baseDir ?? process.cwd();
    this.redactedColumns = options.redact ?? [];
    this.redact = new Set(this.redactedColumns.map((c) => c.toLowerCase()));
    this.sources = new Set(options.plan.sources);
    const specs = options.specs;
    this.order = options.order ?? this.orderOfNames(options.plan.order);
    this.records = options.fromResults === true ? [] : this.newRecords();
  }

  private get base(): { readonly pipelineName: string; readonly runId: string; readonly batchRunId: string } {
    return { pipelineName: this.pipelineName, runId: this.runId, batchRunId: this.batchRunId };
  }

  /** A pending record for every step. */
  private newRecords(): StepExecution[] {
    const specs = this.options.specs;
    const records = new Array<StepExecution>(specs.length);
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i] as StepSpec;
      records[i] = {
        stepName: spec.name, layer: spec.layer, status: "pending", startTime: undefined, endTime: undefined,
        durationMs: 0, attempts: 0, cached: false, inputs: spec.inputs, outputs: spec.outputs, body: bodyOf(spec),
        // The shared frozen empty record until a snapshot is filed (see fileUnder).
        beforeSnapshot: undefined, beforeSnapshots: EMPTY_RECORD, afterSnapshot: undefined,
        afterSnapshots: EMPTY_RECORD, schemaDiff: undefined, rowDelta: undefined, checks: EMPTY_ARRAY,
        // Frozen: appendAttempt replaces it with a new array at the first attempt.
        attemptLog: EMPTY_ARRAY as unknown as TrackedAttempt[],
      };
    }
    return records;
  }

  /**
   * @internal For a tracker made `fromResults`: the run's end, and its nodes' results by spec index (a node
   * without one never started). The records are made when first asked for, from the events each result
   * stands for ({@link replayResult}), through the same code as the events of a run.
   */
  recordResults(results: readonly (NodeResult | undefined)[], run: { readonly status: "success" | "failed"; readonly startTime: string; readonly endTime: string; readonly durationMs: number }): void {
    this.results = results;
    this.status = run.status;
    this.startTime = run.startTime;
    this.endTime = run.endTime;
    this.durationMs = run.durationMs;
  }

  /** The records: for a tracker made `fromResults`, made now from the results if they are not yet. */
  private made(): StepExecution[] {
    const results = this.results;
    if (results === undefined) return this.records;
    this.results = undefined;
    this.records = this.newRecords();
    const specs = this.options.specs;
    const base = this.base;
    for (let i = 0; i < specs.length; i++) {
      const result = results[i];
      if (result !== undefined) replayResult(specs[i] as StepSpec, result, base, (type, payload) => this.record(type, payload, i));
    }
    return this.records;
  }

  /** Indices of the specs in the order of `names`. */
  private orderOfNames(names: readonly string[]): number[] {
    const order: number[] = [];
    for (const name of names) {
      const index = this.indexOf(name);
      if (index !== undefined) order.push(index);
    }
    return order;
  }

  private indexOf(name: string): number | undefined {
    if (this.indexByName === undefined) {
      const byName = new Map<string, number>();
      const specs = this.options.specs;
      for (let i = 0; i < specs.length; i++) byName.set((specs[i] as StepSpec).name, i);
      this.indexByName = byName;
    }
    return this.indexByName.get(name);
  }

  /** Every step's record, in plan order. */
  get stepExecutions(): StepExecution[] {
    this.deriveDirty();
    const made = this.made();
    const records: StepExecution[] = [];
    for (let p = 0; p < this.order.length; p++) records.push(made[this.order[p] as number] as StepExecution);
    return records;
  }

  /** The record of one step. */
  step(name: string): StepExecution | undefined {
    this.deriveDirty();
    const index = this.indexOf(name);
    return index === undefined ? undefined : this.made()[index];
  }

  /**
   * Subscribes to a run's events, and makes this tracker findable by its run id while it listens
   * (`liveRun`); returns the unsubscribe function.
   */
  observe(events: RunEvents): () => void {
    const stop = events.subscribe("tracker", (type, payload, step) => this.record(type, payload, step));
    const forget = registerLiveRun(this.runId, this);
    return () => {
      stop();
      forget();
    };
  }

  /** Resolves once every snapshot under way has landed (and every record's are filed). */
  async settled(): Promise<void> {
    this.fileInputs();
    await this.landed();
    this.deriveDirty();
  }

  /**
   * @internal Resolves once every snapshot under way has landed, without filing the input snapshots or
   * deriving the records' fields: the run's end, after which every record can be made whole at once, when read.
   */
  async landed(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** The lineage document of the run (call after the run; `exportLineage` waits for snapshots itself). */
  toLineage(): LineageDocument {
    return buildLineage(this);
  }

  /** The HTML report of the run: one self-contained file (call after the run; `exportHtml` waits for snapshots). */
  toHtml(options?: HtmlReportOptions): Promise<string> {
    return renderHtmlReport(this, options);
  }

  /** Writes the HTML report to `path` atomically. */
  async exportHtml(path: string, options?: HtmlReportOptions): Promise<void> {
    await this.settled();
    await writeFileAtomic(path, await this.toHtml(options));
  }

  /** The run's OpenLineage RunEvents (2-0-2), in time order (call after the run). */
  toOpenLineageEvents(options?: OpenLineageOptions): OpenLineageRunEvent[] {
    return buildOpenLineageEvents(this, options);
  }

  /** Writes the OpenLineage events as JSON Lines to a path, or POSTs them to an endpoint (`{ url }`, Marquez-style). */
  exportOpenLineage(target: OpenLineageTarget, options?: OpenLineageOptions): Promise<OpenLineageExportSummary> {
    return exportOpenLineage(this, target, options);
  }

  /**
   * The upstream tree of a column (`dataset` is a dataset name, or a written file's path): each hop with
   * the step and transformations, down to the source files' columns. Call after the run.
   */
  columnLineage(dataset: string, column: string): ColumnTreeNode {
    return columnLineageTree(this.toLineage().steps, dataset, column);
  }

  /** The downstream tree of a column: every column of every dataset (and written file) that depends on it. */
  columnImpact(dataset: string, column: string): ColumnTreeNode {
    return columnImpactTree(this.toLineage().steps, dataset, column);
  }

  /** Writes the lineage JSON to `path` atomically and returns it. */
  async exportLineage(path: string): Promise<LineageDocument> {
    await this.settled();
    const document = this.toLineage();
    await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`);
    return document;
  }

  private record<T extends EventType>(type: T, payload: EventPayloads[T], step: number | undefined): void {
    // Each node's two events first, each in a method of its own and with no wrapper object: this runs twice a
    // step, and one method for every kind of event was optimised before the rare kinds had been seen.
    if (type === "node_start") return this.nodeStarted(payload as EventPayloads["node_start"], step);
    if (type === "node_complete") return this.nodeEnded(payload as EventPayloads["node_complete"], true, step);
    const event = { type, payload } as { [K in EventType]: { type: K; payload: EventPayloads[K] } }[EventType];
    switch (event.type) {
      case "pipeline_start":
        this.status = "running";
        this.startTime = event.payload.timestamp;
        return;
      case "pipeline_complete":
      case "pipeline_error":
        this.status = event.payload.status;
        this.endTime = event.payload.timestamp;
        this.durationMs = event.payload.durationMs;
        return;
      case "node_start":
        this.nodeStarted(event.payload, step);
        return;
      case "node_retry":
        appendAttempt(this.at(event.payload.stepName, step), {
          attempt: event.payload.attempt, outcome: event.payload.outcome,
          errorMessage: event.payload.errorMessage, retryDelayMs: event.payload.delayMs,
        });
        return;
      case "node_complete":
        this.nodeEnded(event.payload, true, step);
        return;
      case "node_cached":
        this.nodeEnded(event.payload, false, step);
        return;
      case "node_error": {
        const p = event.payload;
        const r = this.at(p.stepName, step);
        r.status = "failed";
        r.endTime = p.timestamp;
        r.durationMs = p.durationMs;
        r.attempts = p.attempts;
        r.errorMessage = p.errorMessage;
        r.checks = p.checks;
        if (p.statusReason !== undefined) r.statusReason = p.statusReason;
        appendAttempt(r, { attempt: p.attempts, outcome: finalOutcome(p), errorMessage: p.errorMessage });
        return;
      }
      case "node_skipped": {
        const r = this.at(event.payload.stepName, step);
        r.status = "skipped";
        r.kind = event.payload.kind;
        r.statusReason = event.payload.statusReason;
        if (event.payload.blockedBy !== undefined) r.blockedBy = event.payload.blockedBy;
        return;
      }
      case "hook_error":
        return;
      default:
        assertNever(event, "event");
    }
  }

  private nodeStarted(p: EventPayloads["node_start"], step: number | undefined): void {
    const r = this.at(p.stepName, step);
    r.status = "running";
    r.startTime = p.timestamp;
    this.inputsStarted(r);
  }

  /**
   * A step's inputs at its start: snapshotted now if it reads a dataset no step of the run makes (its snapshot
   * may be a probe, which the run's end waits for), else filed when the records are read ({@link unfiled}).
   */
  private inputsStarted(r: StepExecution): void {
    if (!this.snapshotting || r.inputs.length === 0) return;
    if (this.sources.size > 0) {
      for (let i = 0; i < r.inputs.length; i++) {
        if (this.sources.has((r.inputs[i] as StepInput).dataset)) return this.snapshotInputs(r);
      }
    }
    this.unfiled.push(r);
  }

  /** Files the input snapshots of the steps that started since the last time (see {@link unfiled}). */
  private fileInputs(): void {
    const unfiled = this.unfiled;
    if (unfiled.length === 0) return;
    this.unfiled = [];
    for (let i = 0; i < unfiled.length; i++) this.snapshotInputs(unfiled[i] as StepExecution);
  }

  /** A node_complete (`complete`) or node_cached event. */
  private nodeEnded(p: EventPayloads["node_complete"] | EventPayloads["node_cached"], complete: boolean, step: number | undefined): void {
    const r = this.at(p.stepName, step);
    r.status = p.status;
    r.cached = p.status === "cached";
    r.startTime ??= p.timestamp;
    r.endTime = p.timestamp;
    r.durationMs = p.durationMs;
    if (p.cacheKey !== undefined) r.cacheKey = p.cacheKey;
    if (complete) {
      const attempts = (p as EventPayloads["node_complete"]).attempts;
      r.attempts = attempts;
      r.checks = (p as EventPayloads["node_complete"]).checks;
      appendAttempt(r, attempts === 1 ? FIRST_ATTEMPT_SUCCESS : { attempt: attempts, outcome: "success" });
    } else {
      this.inputsStarted(r);
    }
    if (p.columnLineage !== undefined) r.columnLineage = p.columnLineage;
    this.snapshotOutputs(r);
  }

  /** The record of an event's step: by the index the event came with (checked against its name), else by name. */
  private at(stepName: string, step: number | undefined): StepExecution {
    const known = step === undefined ? undefined : this.records[step];
    if (known !== undefined && known.stepName === stepName) return known;
    const index = this.indexOf(stepName);
    const record = index === undefined ? undefined : this.records[index];
    if (record === undefined) throw new Error(`no step ${JSON.stringify(stepName)} in the plan`);
    return record;
  }

  /** False when no snapshot is ever taken (snapshots off, or no data map): the events then build nothing for them. */
  private get snapshotting(): boolean {
    return this.options.snapshots !== false && this.options.dataMap !== undefined;
  }

  private snapshotInputs(r: StepExecution): void {
    if (!this.snapshotting || r.inputs.length === 0) return;
    this.attach(r, r.inputs, undefined, undefined, "beforeSnapshots");
  }

  private snapshotOutputs(r: StepExecution): void {
    if (!this.snapshotting) return;
    // A write step's "after" is the data written, keyed by the file.
    const write = r.body.kind === "write" && r.inputs[0] !== undefined;
    const datasets = write ? [(r.inputs[0] as { dataset: string }).dataset, ...r.outputs] : r.outputs;
    const keys = write ? [r.body.path as string, ...r.outputs] : r.outputs;
    this.attach(r, undefined, datasets, keys, "afterSnapshots");
  }

  /**
   * Takes one event's snapshots (of `inputs`, or of `datasets` filed under `keys`) and files them in
   * declaration order, whatever order the probes finish in: those taken at once (data in memory) right
   * away until the first probe that must wait, and that one and every later one together when they land.
   */
  private attach(
    r: StepExecution, inputs: readonly StepInput[] | undefined, datasets: readonly string[] | undefined, keys: readonly string[] | undefined,
    side: "beforeSnapshots" | "afterSnapshots",
  ): void {
    const count = inputs !== undefined ? inputs.length : (datasets as readonly string[]).length;
    const keyAt = (i: number): string => (inputs !== undefined ? (inputs[i] as StepInput).local : (keys as readonly string[])[i] as string);
    let filed = false;
    let rest: Array<Snapshot | Promise<Snapshot | undefined> | undefined> | undefined;
    let from = 0;
    for (let i = 0; i < count; i++) {
      const taking = this.snapshot(inputs !== undefined ? (inputs[i] as StepInput).dataset : (datasets as readonly string[])[i] as string);
      if (rest !== undefined) rest.push(taking);
      else if (taking !== undefined && isPromiseLike(taking)) {
        rest = [taking];
        from = i;
      } else if (taking !== undefined) {
        fileUnder(r, side, keyAt(i), taking);
        filed = true;
      }
    }
    if (filed) this.dirty.add(r);
    if (rest === undefined) return;
    // Never rejects (a failing probe is a warning and an undefined snapshot), so it leaves `pending` in its own
    // callback: a `finally` per event showed in the profile of a many-step run.
    const landed: Promise<void> = Promise.all(rest).then((snapshots) => {
      try {
        for (let i = 0; i < snapshots.length; i++) {
          const snapshot = snapshots[i];
          if (snapshot !== undefined) fileUnder(r, side, keyAt(from + i), snapshot);
        }
        this.dirty.add(r);
      } finally {
        this.pending.delete(landed);
      }
    });
    this.pending.add(landed);
  }

  private deriveDirty(): void {
    this.fileInputs();
    for (const r of this.dirty) this.derive(r);
    this.dirty.clear();
  }

  /** A dataset's snapshot: at once when its data answers without a promise, else the probe under way. */
  private snapshot(dataset: string): Snapshot | Promise<Snapshot | undefined> | undefined {
    if (this.options.snapshots === false) return undefined;
    const handle = this.options.dataMap?.handle(dataset);
    if (handle === undefined) return undefined;
    let taking = this.snapshotOf.get(handle);
    if (taking === undefined) {
      const sampleRows = this.options.sampleRows ?? 5;
      try {
        taking = takeSnapshotNow(handle, sampleRows, this.redact) ?? takeSnapshot(handle, sampleRows, this.redact).then(
          // Once landed, the snapshot itself (or null) stands in for its probe: a reader filing it later does so at once.
          (snapshot) => {
            this.snapshotOf.set(handle, snapshot);
            return snapshot;
          },
          (error: unknown) => {
            this.snapshotOf.set(handle, null);
            return this.snapshotFailed(dataset, error);
          },
        );
      } catch (error) {
        taking = this.snapshotFailed(dataset, error) ?? null;
      }
      this.snapshotOf.set(handle, taking);
    }
    return taking ?? undefined;
  }

  /** A failed probe: a warning, never a failure of the run. */
  private snapshotFailed(dataset: string, error: unknown): undefined {
    this.options.warn?.(`tracker could not snapshot dataset ${JSON.stringify(dataset)}: ${errorMessage(error)}`);
    return undefined;
  }

  /** Recomputes the fields that follow from the snapshots: primary snapshots, schema diff, row delta. */
  private derive(r: StepExecution): void {
    const primaryInput = r.inputs[0];
    r.beforeSnapshot = primaryInput === undefined ? undefined : r.beforeSnapshots[primaryInput.local];
    const primaryOutput = r.body.kind === "write" ? r.body.path : r.outputs[0];
    r.afterSnapshot = primaryOutput === undefined ? undefined : r.afterSnapshots[primaryOutput];
    const ready = r.afterSnapshot !== undefined && (primaryInput === undefined || r.beforeSnapshot !== undefined);
    if (!ready || r.afterSnapshot === undefined) return;
    r.schemaDiff = diffSchemas(r.beforeSnapshot?.schema ?? [], r.afterSnapshot.schema);
    let outputRows = 0;
    for (const key in r.afterSnapshots) outputRows += (r.afterSnapshots[key] as Snapshot).rowCount;
    r.rowDelta = outputRows - (r.beforeSnapshot?.rowCount ?? 0);
  }
}
