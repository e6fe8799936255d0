import type { Column } from "../data/dataset.js";
import { sampleToJson } from "../data/sample-to-json.js";
import { toJsonSafe } from "../util/json-safe.js";
import { keyedRecord } from "../util/keyed-record.js";
import { namedList } from "../util/named-list.js";
import type { InputField } from "../lineage/column-lineage.js";
import type { DatasetRecord, InputFieldRecord, LineageDocument, SnapshotRecord, StepRecord } from "./lineage.generated.js";
import type { SchemaDiff } from "./schema-diff.js";
import type { Snapshot } from "./snapshot.js";
import type { StepExecution } from "./step-execution.js";
import type { LineageSource } from "./lineage-source.js";

const schemaText = (schema: readonly Column[]): string[] => schema.map((c) => `${c.name}: ${c.type}`);

export { sampleToJson } from "../data/sample-to-json.js";

function snapshotRecord(s: Snapshot): SnapshotRecord {
  const record: SnapshotRecord = { dataset: s.dataset, schema: schemaText(s.schema), row_count: s.rowCount, sample: sampleToJson(s) };
  if (s.value !== undefined) record.value = { type: s.value.type, preview: s.value.preview };
  return record;
}

/**
 * What a step record holds for its snapshots: their records (`S`), by name (`M`); or, in the history's compact
 * form, their numbers, as a list of names and numbers. The tracker shares a dataset's snapshot between its
 * producer's outputs and its consumers' inputs, so each is encoded once (a third as many for a DAG whose
 * datasets are read twice on average).
 */
export interface SnapshotsAs<S, M> {
  one(snapshot: Snapshot): S;
  byName(snapshots: Readonly<Record<string, Snapshot>>): M;
}

/** Snapshot records by snapshot, each made once: the document holds the same record at each place. */
function recordsOnce(): SnapshotsAs<SnapshotRecord, Record<string, SnapshotRecord>> {
  const memo = new Map<Snapshot, SnapshotRecord>();
  const one = (s: Snapshot): SnapshotRecord => {
    let record = memo.get(s);
    if (record === undefined) {
      record = snapshotRecord(s);
      memo.set(s, record);
    }
    return record;
  };
  return {
    one,
    byName: (snapshots) => {
      // Keyed by dataset names: a dictionary-mode record (Object.fromEntries made a hidden class per name, which
      // was a fifth of the lineage document of a 10,000-step run).
      const records = keyedRecord<SnapshotRecord>();
      const names = Object.keys(snapshots);
      for (let i = 0; i < names.length; i++) records[names[i] as string] = one(snapshots[names[i] as string] as Snapshot);
      return records;
    },
  };
}

/** The snapshot fields of a step record. */
type SnapshotFields = "before_snapshot" | "before_snapshots" | "after_snapshot" | "after_snapshots";

/** A step record whose snapshots are given as `S`, by name as `M` (a {@link StepRecord} for records by name). */
export type StepRecordOf<S, M> = Omit<StepRecord, SnapshotFields> & {
  before_snapshot: S | null;
  before_snapshots: M;
  after_snapshot: S | null;
  after_snapshots: M;
};

/** A step record of the history's compact form: each snapshot its number; by name, a list of names and numbers. */
export type StepRecordWithRefs = StepRecordOf<number, Array<string | number>>;

function diffRecord(d: SchemaDiff): StepRecord["schema_diff"] {
  return { added: schemaText(d.added), removed: schemaText(d.removed), changed: d.changed.map((c) => ({ ...c })) };
}

function inputFieldRecord(f: InputField): InputFieldRecord {
  return { dataset: f.dataset, field: f.field, transformations: f.transformations.map((t) => ({ type: t.type, subtype: t.subtype })) };
}

/** A step's body in the document: its kind, then what it has of sql, engine, path and format, in that order. */
export function bodyRecord(body: StepExecution["body"]): StepRecord["body"] {
  const record: StepRecord["body"] = { kind: body.kind };
  if (body.sql !== undefined) record.sql = body.sql;
  if (body.engine !== undefined) record.engine = body.engine;
  if (body.path !== undefined) record.path = body.path;
  if (body.format !== undefined) record.format = body.format;
  return record;
}

/** A step's check results as the document records them. */
export function checkRecords(r: StepExecution): StepRecord["checks"] {
  return r.checks.map((c) => ({
    name: c.name, kind: c.kind, severity: c.severity, dataset: c.dataset, columns: [...c.columns], status: c.status,
    failing_rows: c.failingRows, total_rows: c.totalRows, message: c.message,
  }));
}

/** A step's attempts as the document records them. */
export function attemptLogRecords(r: StepExecution): StepRecord["attempt_log"] {
  return r.attemptLog.map((a) => {
    const attempt: StepRecord["attempt_log"][number] = { attempt: a.attempt, outcome: a.outcome };
    if (a.errorMessage !== undefined) attempt.error_message = a.errorMessage;
    if (a.retryDelayMs !== undefined) attempt.retry_delay_ms = a.retryDelayMs;
    return attempt;
  });
}

/** The fields a step record has only when they are set: after `attempt_log`, in this order. */
export const OPTIONAL_STEP_FIELDS = [
  "kind", "blocked_by", "status_reason", "error_message", "cache_key", "column_lineage", "column_lineage_source", "column_lineage_note",
] as const satisfies ReadonlyArray<keyof StepRecord>;

export type OptionalStepFields = Pick<StepRecord, (typeof OPTIONAL_STEP_FIELDS)[number]>;

/** A step's column lineage (by output) as the document records it. */
export function columnLineageRecord(lineage: NonNullable<StepExecution["columnLineage"]>): NonNullable<StepRecord["column_lineage"]> {
  return Object.fromEntries(Object.entries(lineage.outputs).map(([name, l]) => [name, {
    fields: Object.fromEntries(Object.entries(l.fields).map(([c, f]) => [c, { inputFields: f.inputFields.map(inputFieldRecord) }])),
    dataset: l.dataset.map(inputFieldRecord),
    ...(l.unresolved !== undefined ? { unresolved: { ...l.unresolved } } : {}),
  }]));
}

/**
 * Adds to `record` the {@link OPTIONAL_STEP_FIELDS} the step has, in their order; `lineageRecord` makes the
 * column lineage's (a writer that serializes at once may give the same record for the same lineage).
 */
export function addOptionalStepFields(
  record: OptionalStepFields, r: StepExecution, lineageRecord: typeof columnLineageRecord = columnLineageRecord,
): void {
  if (r.kind !== undefined) record.kind = r.kind;
  if (r.blockedBy !== undefined) record.blocked_by = r.blockedBy;
  if (r.statusReason !== undefined) record.status_reason = r.statusReason;
  if (r.errorMessage !== undefined) record.error_message = r.errorMessage;
  if (r.cacheKey !== undefined) record.cache_key = r.cacheKey;
  if (r.columnLineage !== undefined) {
    record.column_lineage = lineageRecord(r.columnLineage);
    record.column_lineage_source = r.columnLineage.source;
    if (r.columnLineage.note !== undefined) record.column_lineage_note = r.columnLineage.note;
  }
}

/** A step's schema diff as the document records it. */
export function schemaDiffRecord(r: StepExecution): StepRecord["schema_diff"] {
  return r.schemaDiff ? diffRecord(r.schemaDiff) : null;
}

function stepRecord<S, M>(r: StepExecution, as: SnapshotsAs<S, M>): StepRecordOf<S, M> {
  const record: StepRecordOf<S, M> = {
    step_name: r.stepName,
    layer: r.layer ?? null,
    status: r.status,
    start_time: r.startTime ?? null,
    end_time: r.endTime ?? null,
    duration_ms: r.durationMs,
    attempts: r.attempts,
    cached: r.cached,
    inputs: r.inputs.map((i) => i.dataset),
    outputs: [...r.outputs],
    body: bodyRecord(r.body),
    before_snapshot: r.beforeSnapshot ? as.one(r.beforeSnapshot) : null,
    before_snapshots: as.byName(r.beforeSnapshots),
    after_snapshot: r.afterSnapshot ? as.one(r.afterSnapshot) : null,
    after_snapshots: as.byName(r.afterSnapshots),
    schema_diff: schemaDiffRecord(r),
    row_delta: r.rowDelta ?? null,
    checks: checkRecords(r),
    attempt_log: attemptLogRecords(r),
  };
  addOptionalStepFields(record, r);
  return record;
}

/** Every dataset's snapshot, from its producer's outputs or else from any consumer's inputs. */
function datasetSnapshots(steps: readonly StepExecution[]): Map<string, Snapshot> {
  const found = new Map<string, Snapshot>();
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as StepExecution;
    const after = step.afterSnapshots;
    const names = Object.keys(after);
    for (let i = 0; i < names.length; i++) found.set(names[i] as string, after[names[i] as string] as Snapshot);
    for (let i = 0; i < step.inputs.length; i++) {
      const input = step.inputs[i] as StepExecution["inputs"][number];
      const snapshot = step.beforeSnapshots[input.local];
      if (snapshot !== undefined && !found.has(input.dataset)) found.set(input.dataset, snapshot);
    }
  }
  return found;
}

function datasetRecords(tracker: LineageSource, steps: readonly StepExecution[]): DatasetRecord[] {
  const snapshots = datasetSnapshots(steps);
  const consumers = new Map<string, string[]>();
  const planSteps = tracker.plan.steps;
  for (let s = 0; s < planSteps.length; s++) {
    const step = planSteps[s] as (typeof planSteps)[number];
    for (let i = 0; i < step.inputs.length; i++) {
      const input = step.inputs[i] as string;
      const readers = consumers.get(input);
      if (readers === undefined) consumers.set(input, [step.name]);
      else readers.push(step.name);
    }
  }
  const describe = (name: string, kind: DatasetRecord["kind"], producer: string | null, readers: string[]): DatasetRecord => {
    const snapshot = snapshots.get(name);
    return { name, kind, producer, consumers: readers, schema: snapshot ? schemaText(snapshot.schema) : null, row_count: snapshot?.rowCount ?? null };
  };
  const records: DatasetRecord[] = tracker.plan.sources.map((name) => describe(name, "source", null, consumers.get(name) ?? []));
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as StepExecution;
    for (let o = 0; o < step.outputs.length; o++) {
      const output = step.outputs[o] as string;
      const readers = consumers.get(output) ?? [];
      records.push(describe(output, readers.length > 0 ? "intermediate" : "output", step.stepName, readers));
    }
    if (step.body.kind === "write" && step.body.path !== undefined) records.push(describe(step.body.path, "file", step.stepName, []));
    if (step.body.kind === "read" && step.body.path !== undefined) {
      const output = step.outputs[0];
      const snapshot = output === undefined ? undefined : snapshots.get(output);
      records.push({ name: step.body.path, kind: "file", producer: null, consumers: [step.stepName], schema: snapshot ? schemaText(snapshot.schema) : null, row_count: snapshot?.rowCount ?? null });
    }
  }
  return records;
}

/** The lineage document of a tracker's run, in the shape of schemas/lineage.schema.json. */
export function buildLineage(tracker: LineageSource): LineageDocument {
  const lazy = lazyLineage(tracker);
  // The same keys in the same order, the step records made now.
  return { ...lazy, steps: [...lazy.steps] };
}

/** {@link buildLineage}'s document, its step records made one at a time as `steps` is iterated. */
export type LazyLineageDocument = Omit<LineageDocument, "steps"> & { readonly steps: Iterable<StepRecord> };

/**
 * {@link buildLineage}'s document, the same fields in the same order, but for its step records: made one at a
 * time as `steps` is iterated (once), so that a writer of the document in pieces never holds a run's 10,000
 * step records at once (the history's end of a run).
 */
export function lazyLineage(tracker: LineageSource): LazyLineageDocument {
  return lineageWith(tracker, recordsOnce());
}

/** {@link lazyLineage}'s document with each snapshot given as its number in `snapshots`, where its record is listed once. */
export interface LineageWithSnapshotRefs {
  readonly document: Omit<LineageDocument, "steps"> & { readonly steps: Iterable<StepRecordWithRefs> };
  /** The snapshot records, by number: complete once `document.steps` has been iterated. */
  readonly snapshots: readonly SnapshotRecord[];
  /**
   * The steps' executions and the numbering of their snapshots, for a writer that makes each step's record in
   * a form of its own (the history's compact record): `snapshots` is then complete once it has numbered them.
   */
  readonly executions: readonly StepExecution[];
  readonly refs: SnapshotsAs<number, Array<string | number>>;
}

/**
 * {@link lazyLineage}'s document in the history's compact form: each distinct snapshot is recorded once, in
 * `snapshots`, and step records give its number (a dataset's snapshot is in its producer's record and again in
 * each consumer's: two thirds of a 10,000-step run's lineage). {@link withSnapshotRecords} gives back the document.
 */
export function lineageWithSnapshotRefs(tracker: LineageSource): LineageWithSnapshotRefs {
  const numbers = new Map<Snapshot, number>();
  const snapshots: SnapshotRecord[] = [];
  const one = (s: Snapshot): number => {
    let n = numbers.get(s);
    if (n === undefined) {
      n = snapshots.length;
      snapshots.push(snapshotRecord(s));
      numbers.set(s, n);
    }
    return n;
  };
  const byName = (named: Readonly<Record<string, Snapshot>>): Array<string | number> => namedList(named, one);
  const refs = { one, byName };
  return { document: lineageWith(tracker, refs), snapshots, executions: tracker.stepExecutions, refs };
}

/** A step record of {@link lineageWithSnapshotRefs}'s made whole (the same keys in the same order). */
export function withSnapshotRecords(record: StepRecordWithRefs, snapshots: readonly SnapshotRecord[]): StepRecord {
  const at = (n: unknown): SnapshotRecord => {
    const found = typeof n === "number" ? snapshots[n] : undefined;
    if (found === undefined) throw new Error(`the lineage of a step names snapshot ${String(n)}, which its record does not hold`);
    return found;
  };
  const byName = (list: ReadonlyArray<string | number>): Record<string, SnapshotRecord> => {
    const records = keyedRecord<SnapshotRecord>();
    for (let i = 0; i + 1 < list.length; i += 2) records[list[i] as string] = at(list[i + 1]);
    return records;
  };
  const whole = record as unknown as Record<SnapshotFields, unknown>;
  whole.before_snapshot = record.before_snapshot === null ? null : at(record.before_snapshot);
  whole.before_snapshots = byName(record.before_snapshots);
  whole.after_snapshot = record.after_snapshot === null ? null : at(record.after_snapshot);
  whole.after_snapshots = byName(record.after_snapshots);
  return whole as unknown as StepRecord;
}

function lineageWith<S, M>(tracker: LineageSource, as: SnapshotsAs<S, M>): Omit<LineageDocument, "steps"> & { readonly steps: Iterable<StepRecordOf<S, M>> } {
  const steps = tracker.stepExecutions;
  const document: Omit<LineageDocument, "steps"> & { steps: Iterable<StepRecordOf<S, M>> } = {
    lineage_version: "1",
    pipeline_name: tracker.pipelineName,
    execution_id: tracker.runId,
    batch_run_id: tracker.batchRunId,
    run_attempt: tracker.runAttempt,
    status: tracker.status,
    start_time: tracker.startTime ?? null,
    end_time: tracker.endTime ?? null,
    total_duration_ms: tracker.durationMs,
    base_dir: tracker.baseDir,
    steps: (function* records() {
      for (let i = 0; i < steps.length; i++) yield stepRecord(steps[i] as StepExecution, as);
    })(),
    datasets: datasetRecords(tracker, steps),
    edges: tracker.plan.edges.map((e) => ({ from: e.from, to: e.to, dataset: e.dataset })),
  };
  if (tracker.redactedColumns.length > 0) document.redacted_columns = [...tracker.redactedColumns];
  return document;
}
