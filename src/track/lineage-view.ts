import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { Column } from "../data/dataset.js";
import type { ExecutionPlan, PlanStep } from "../plan/execution-plan.js";
import type { LineageDocument, SnapshotRecord, StepRecord } from "./lineage.generated.js";
import type { LineageSource } from "./lineage-source.js";
import type { Snapshot } from "./snapshot.js";
import type { StepExecution } from "./step-execution.js";

function column(text: string): Column {
  const at = text.indexOf(": ");
  return at < 0 ? { name: text, type: "" } : { name: text.slice(0, at), type: text.slice(at + 2) };
}

function snapshot(record: SnapshotRecord): Snapshot {
  return {
    dataset: record.dataset, schema: record.schema.map(column), rowCount: record.row_count, sample: record.sample,
    ...(record.value ? { value: { type: record.value.type, preview: record.value.preview } } : {}),
  };
}

function snapshots(records: Readonly<Record<string, SnapshotRecord>>): Record<string, Snapshot> {
  return Object.fromEntries(Object.entries(records).map(([k, v]) => [k, snapshot(v)]));
}

function execution(step: StepRecord): StepExecution {
  const before = snapshots(step.before_snapshots);
  const locals = new Map(Object.entries(before).map(([local, s]) => [s.dataset, local]));
  const result: StepExecution = {
    stepName: step.step_name, layer: step.layer ?? undefined, status: step.status, startTime: step.start_time ?? undefined,
    endTime: step.end_time ?? undefined, durationMs: step.duration_ms, attempts: step.attempts, cached: step.cached,
    inputs: step.inputs.map((dataset) => ({ local: locals.get(dataset) ?? dataset, dataset })),
    outputs: step.outputs, body: { ...step.body },
    beforeSnapshot: step.before_snapshot ? snapshot(step.before_snapshot) : undefined, beforeSnapshots: before,
    afterSnapshot: step.after_snapshot ? snapshot(step.after_snapshot) : undefined, afterSnapshots: snapshots(step.after_snapshots),
    schemaDiff: step.schema_diff
      ? { added: step.schema_diff.added.map(column), removed: step.schema_diff.removed.map(column), changed: step.schema_diff.changed }
      : undefined,
    rowDelta: step.row_delta ?? undefined,
    checks: step.checks.map((c) => ({
      name: c.name, kind: c.kind, severity: c.severity, dataset: c.dataset, columns: c.columns, status: c.status,
      failingRows: c.failing_rows, totalRows: c.total_rows, message: c.message,
    })),
    attemptLog: step.attempt_log.map((a) => ({
      attempt: a.attempt, outcome: a.outcome,
      ...(a.error_message !== undefined ? { errorMessage: a.error_message } : {}),
      ...(a.retry_delay_ms !== undefined ? { retryDelayMs: a.retry_delay_ms } : {}),
    })),
  };
  if (step.kind !== undefined) result.kind = step.kind;
  if (step.blocked_by !== undefined) result.blockedBy = step.blocked_by;
  if (step.status_reason !== undefined) result.statusReason = step.status_reason;
  if (step.error_message !== undefined) result.errorMessage = step.error_message;
  if (step.cache_key !== undefined) result.cacheKey = step.cache_key;
  if (step.column_lineage !== undefined) {
    result.columnLineage = {
      source: step.column_lineage_source ?? "sql",
      outputs: step.column_lineage as StepColumnLineage["outputs"],
      ...(step.column_lineage_note !== undefined ? { note: step.column_lineage_note } : {}),
    };
  }
  return result;
}

/** The plan, rebuilt from the document's steps (in plan order) and edges. */
function plan(document: LineageDocument): ExecutionPlan {
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>();
  for (const edge of document.edges) {
    if (!upstream.get(edge.to)?.includes(edge.from)) upstream.set(edge.to, [...(upstream.get(edge.to) ?? []), edge.from]);
    if (!downstream.get(edge.from)?.includes(edge.to)) downstream.set(edge.from, [...(downstream.get(edge.from) ?? []), edge.to]);
  }
  const depth = new Map<string, number>();
  const steps: PlanStep[] = document.steps.map((s) => {
    const ups = upstream.get(s.step_name) ?? [];
    const d = ups.reduce((max, up) => Math.max(max, (depth.get(up) ?? 0) + 1), 0);
    depth.set(s.step_name, d);
    return { name: s.step_name, layer: s.layer ?? undefined, upstream: ups, downstream: downstream.get(s.step_name) ?? [], inputs: s.inputs, outputs: s.outputs, depth: d };
  });
  const layers: string[][] = [];
  for (const step of steps) (layers[step.depth] ??= []).push(step.name);
  return {
    batchRunId: document.batch_run_id, pipelineName: document.pipeline_name, order: steps.map((s) => s.name), layers, steps,
    sources: document.datasets.filter((d) => d.kind === "source").map((d) => d.name), edges: document.edges,
  };
}

/**
 * A past run, as the exports see a live tracker, rebuilt from its stored lineage document: so `linea
 * lineage <run-id>` can write its OpenLineage events or HTML report long after the run.
 */
export function lineageView(document: LineageDocument, baseDir = document.base_dir ?? process.cwd()): LineageSource {
  const steps = document.steps.map(execution);
  return {
    pipelineName: document.pipeline_name, runId: document.execution_id, batchRunId: document.batch_run_id,
    runAttempt: document.run_attempt ?? 1, plan: plan(document), baseDir,
    status: document.status, startTime: document.start_time ?? undefined, endTime: document.end_time ?? undefined,
    durationMs: document.total_duration_ms, redactedColumns: document.redacted_columns ?? [],
    get stepExecutions() {
      return [...steps];
    },
    settled: async () => undefined,
  };
}
