import type { Column } from "../data/dataset.js";
import { sampleToJson } from "../data/sample-to-json.js";
import { toJsonSafe } from "../util/json-safe.js";
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

function snapshotRecords(snapshots: Readonly<Record<string, Snapshot>>): Record<string, SnapshotRecord> {
  return Object.fromEntries(Object.entries(snapshots).map(([k, s]) => [k, snapshotRecord(s)]));
}

function diffRecord(d: SchemaDiff): StepRecord["schema_diff"] {
  return { added: schemaText(d.added), removed: schemaText(d.removed), changed: d.changed.map((c) => ({ ...c })) };
}

function inputFieldRecord(f: InputField): InputFieldRecord {
  return { dataset: f.dataset, field: f.field, transformations: f.transformations.map((t) => ({ type: t.type, subtype: t.subtype })) };
}

function stepRecord(r: StepExecution): StepRecord {
  const body = r.body;
  const record: StepRecord = {
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
    body: {
      kind: body.kind,
      ...(body.sql !== undefined ? { sql: body.sql } : {}),
      ...(body.engine !== undefined ? { engine: body.engine } : {}),
      ...(body.path !== undefined ? { path: body.path } : {}),
      ...(body.format !== undefined ? { format: body.format } : {}),
    },
    before_snapshot: r.beforeSnapshot ? snapshotRecord(r.beforeSnapshot) : null,
    before_snapshots: snapshotRecords(r.beforeSnapshots),
    after_snapshot: r.afterSnapshot ? snapshotRecord(r.afterSnapshot) : null,
    after_snapshots: snapshotRecords(r.afterSnapshots),
    schema_diff: r.schemaDiff ? diffRecord(r.schemaDiff) : null,
    row_delta: r.rowDelta ?? null,
    checks: r.checks.map((c) => ({
      name: c.name, kind: c.kind, severity: c.severity, dataset: c.dataset, columns: [...c.columns], status: c.status,
      failing_rows: c.failingRows, total_rows: c.totalRows, message: c.message,
    })),
    attempt_log: r.attemptLog.map((a) => ({
      attempt: a.attempt, outcome: a.outcome,
      ...(a.errorMessage !== undefined ? { error_message: a.errorMessage } : {}),
      ...(a.retryDelayMs !== undefined ? { retry_delay_ms: a.retryDelayMs } : {}),
    })),
  };
  if (r.kind !== undefined) record.kind = r.kind;
  if (r.blockedBy !== undefined) record.blocked_by = r.blockedBy;
  if (r.statusReason !== undefined) record.status_reason = r.statusReason;
  if (r.errorMessage !== undefined) record.error_message = r.errorMessage;
  if (r.cacheKey !== undefined) record.cache_key = r.cacheKey;
  if (r.columnLineage !== undefined) {
    record.column_lineage = Object.fromEntries(Object.entries(r.columnLineage.outputs).map(([name, l]) => [name, {
      fields: Object.fromEntries(Object.entries(l.fields).map(([c, f]) => [c, { inputFields: f.inputFields.map(inputFieldRecord) }])),
      dataset: l.dataset.map(inputFieldRecord),
      ...(l.unresolved !== undefined ? { unresolved: { ...l.unresolved } } : {}),
    }]));
    record.column_lineage_source = r.columnLineage.source;
    if (r.columnLineage.note !== undefined) record.column_lineage_note = r.columnLineage.note;
  }
  return record;
}

/** Every dataset's snapshot, from its producer's outputs or else from any consumer's inputs. */
function datasetSnapshots(steps: readonly StepExecution[]): Map<string, Snapshot> {
  const found = new Map<string, Snapshot>();
  for (const step of steps) {
    for (const [name, snapshot] of Object.entries(step.afterSnapshots)) found.set(name, snapshot);
    for (const input of step.inputs) {
      const snapshot = step.beforeSnapshots[input.local];
      if (snapshot !== undefined && !found.has(input.dataset)) found.set(input.dataset, snapshot);
    }
  }
  return found;
}

function datasetRecords(tracker: LineageSource, steps: readonly StepExecution[]): DatasetRecord[] {
  const snapshots = datasetSnapshots(steps);
  const consumers = new Map<string, string[]>();
  for (const step of tracker.plan.steps) for (const input of step.inputs) consumers.set(input, [...(consumers.get(input) ?? []), step.name]);
  const describe = (name: string, kind: DatasetRecord["kind"], producer: string | null, readers: string[]): DatasetRecord => {
    const snapshot = snapshots.get(name);
    return { name, kind, producer, consumers: readers, schema: snapshot ? schemaText(snapshot.schema) : null, row_count: snapshot?.rowCount ?? null };
  };
  const records: DatasetRecord[] = tracker.plan.sources.map((name) => describe(name, "source", null, consumers.get(name) ?? []));
  for (const step of steps) {
    for (const output of step.outputs) {
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
  const steps = tracker.stepExecutions;
  const document: LineageDocument = {
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
    steps: steps.map(stepRecord),
    datasets: datasetRecords(tracker, steps),
    edges: tracker.plan.edges.map((e) => ({ from: e.from, to: e.to, dataset: e.dataset })),
  };
  if (tracker.redactedColumns.length > 0) document.redacted_columns = [...tracker.redactedColumns];
  return document;
}
