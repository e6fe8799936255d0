import type { StepExecution } from "../step-execution.js";
import type { LineageSource as Tracker } from "../lineage-source.js";
import { OpenLineageFacets } from "./openlineage-facets.js";
import { resolveOpenLineageOptions, type OpenLineageOptions, type ResolvedOpenLineageOptions } from "./openlineage-options.js";
import { RUN_EVENT_SCHEMA_URL } from "./openlineage-schema-urls.js";
import type {
  OpenLineageEventType, OpenLineageInputDataset, OpenLineageJobFacets, OpenLineageOutputDataset, OpenLineageRunEvent,
  OpenLineageRunFacets, OpenLineageRunReference,
} from "./openlineage-types.js";
import { openLineageUuid } from "./openlineage-uuid.js";
import { checksByDataset, stepDatasetIds, stepDatasets, type DatasetContext } from "./step-datasets.js";

interface Builder {
  readonly tracker: Tracker;
  readonly options: ResolvedOpenLineageOptions;
  readonly facets: OpenLineageFacets;
  readonly datasets: DatasetContext;
  readonly pipelineRun: OpenLineageRunReference;
}

interface EventParts {
  readonly eventType: OpenLineageEventType;
  readonly eventTime: string;
  readonly runId: string;
  readonly runFacets: OpenLineageRunFacets;
  readonly jobName: string;
  readonly jobFacets: OpenLineageJobFacets;
  readonly inputs?: readonly OpenLineageInputDataset[];
  readonly outputs?: readonly OpenLineageOutputDataset[];
}

function runEvent(b: Builder, p: EventParts): OpenLineageRunEvent {
  return {
    eventType: p.eventType, eventTime: p.eventTime, producer: b.options.producer, schemaURL: RUN_EVENT_SCHEMA_URL,
    run: { runId: p.runId, facets: p.runFacets },
    job: { namespace: b.options.namespace, name: p.jobName, facets: p.jobFacets },
    inputs: p.inputs ?? [], outputs: p.outputs ?? [],
  };
}

/** The run id of a step's run: deterministic from the tracker's run id, the step's name and its start. */
export function stepRunId(tracker: Tracker, step: StepExecution): string {
  return openLineageUuid(`${tracker.runId}/${step.stepName}`, Date.parse(step.startTime ?? tracker.startTime ?? ""));
}

/** The run id of the pipeline's run: deterministic from the tracker's run id and the run's start. */
export function pipelineRunId(tracker: Tracker): string {
  return openLineageUuid(tracker.runId, Date.parse(tracker.startTime ?? ""));
}

function pipelineFailure(tracker: Tracker): string {
  const failed = tracker.stepExecutions.filter((s) => s.status === "failed");
  const head = `Pipeline "${tracker.pipelineName}" failed`;
  if (failed.length === 0) return `${head}.`;
  const names = failed.map((s) => `"${s.stepName}"`).join(", ");
  const details = failed.map((s) => s.errorMessage ?? `Step "${s.stepName}" failed.`).join("\n");
  return `${head}: ${failed.length} step${failed.length === 1 ? "" : "s"} failed (${names}).\n${details}`;
}

function pipelineEvents(b: Builder): { start: OpenLineageRunEvent; end: OpenLineageRunEvent | undefined } {
  const { tracker, facets } = b;
  const base = { runId: b.pipelineRun.run.runId, jobName: tracker.pipelineName, jobFacets: { jobType: facets.jobType("JOB") } };
  const engine = facets.processingEngine();
  const start = runEvent(b, { ...base, eventType: "START", eventTime: tracker.startTime as string, runFacets: { processing_engine: engine } });
  if (tracker.status === "running" || tracker.endTime === undefined) return { start, end: undefined };
  const end = tracker.status === "success"
    ? runEvent(b, { ...base, eventType: "COMPLETE", eventTime: tracker.endTime, runFacets: { processing_engine: engine } })
    : runEvent(b, { ...base, eventType: "FAIL", eventTime: tracker.endTime, runFacets: { processing_engine: engine, errorMessage: facets.errorMessage(pipelineFailure(tracker)) } });
  return { start, end };
}

/** A bound function's text is `function () { [native code] }`: it says nothing of the code, so it is left out. */
const NATIVE_CODE = /\{\s*\[native code\]\s*\}\s*$/;

function stepJobFacets(b: Builder, step: StepExecution): OpenLineageJobFacets {
  const body = step.body;
  const source = body.source !== undefined && !NATIVE_CODE.test(body.source) ? body.source : undefined;
  return {
    jobType: b.facets.jobType("TASK"),
    ...(body.kind === "sql" && body.sql !== undefined ? { sql: b.facets.sql(body.sql) } : {}),
    ...(body.kind === "run" && source !== undefined ? { sourceCode: b.facets.sourceCode(source) } : {}),
  };
}

/** A step's START, and its COMPLETE or FAIL once it ended; none for a step that never started. */
function stepEvents(b: Builder, step: StepExecution): OpenLineageRunEvent[] {
  if (step.startTime === undefined || !["running", "success", "cached", "failed"].includes(step.status)) return [];
  const runFacets = { parent: b.facets.parent(b.pipelineRun), processing_engine: b.facets.processingEngine() };
  const base = { runId: stepRunId(b.tracker, step), jobName: `${b.tracker.pipelineName}.${step.stepName}`, jobFacets: stepJobFacets(b, step) };
  const start = runEvent(b, { ...base, eventType: "START", eventTime: step.startTime, runFacets, ...stepDatasetIds(step, b.datasets) });
  if (step.status === "running") return [start];
  // An end stamped before its start (a clock step back) is moved to the start: a run never ends before it began.
  const endTime = step.endTime === undefined || Date.parse(step.endTime) < Date.parse(step.startTime) ? step.startTime : step.endTime;
  const datasets = stepDatasets(step, b.datasets);
  const end = step.status === "failed"
    ? runEvent(b, { ...base, eventType: "FAIL", eventTime: endTime, runFacets: { ...runFacets, errorMessage: b.facets.errorMessage(step.errorMessage ?? `Step "${step.stepName}" failed.`) }, ...datasets })
    : runEvent(b, { ...base, eventType: "COMPLETE", eventTime: endTime, runFacets, ...datasets });
  return [start, end];
}

/**
 * Step events in time order. Ties keep the order they were built in, which is plan order with each
 * step's START before its end, so an upstream's COMPLETE precedes a downstream's START stamped in the
 * same millisecond.
 */
function byTime(events: readonly OpenLineageRunEvent[]): OpenLineageRunEvent[] {
  const keyed = events.map((event, index) => ({ event, index, time: Date.parse(event.eventTime) }));
  keyed.sort((x, y) => x.time - y.time || x.index - y.index);
  return keyed.map((k) => k.event);
}

/**
 * The OpenLineage 2-0-2 RunEvents of a tracker's run, in time order: the pipeline's START (a run of the
 * job `<pipelineName>`), then for each step that ran (succeeded, failed, or was served from the cache) a
 * START and a COMPLETE or FAIL of a child run (job `<pipelineName>.<stepName>`, with a `parent` facet
 * naming the pipeline's run), then the pipeline's COMPLETE or FAIL. Steps that never ran (skipped because
 * an upstream failed, or aborted by fail-fast or an interrupt) get no run events. A step still running
 * gets a START only, and a run still under way no pipeline COMPLETE or FAIL; a tracker whose run never
 * started gives no events.
 *
 * Run ids are UUIDs derived from the tracker's run id, the step's name and the start time, so building
 * the events of a run again gives the same ids. Nothing is measured here: every figure comes from the
 * tracker's snapshots and check results (call after `await tracker.settled()`).
 *
 * @example
 * const result = await orchestrator.execute();
 * await result.tracker.settled();
 * const events = buildOpenLineageEvents(result.tracker, { namespace: "analytics" });
 */
export function buildOpenLineageEvents(tracker: Tracker, options: OpenLineageOptions = {}): OpenLineageRunEvent[] {
  const resolved = resolveOpenLineageOptions(tracker.pipelineName, options);
  if (tracker.startTime === undefined) return [];
  const facets = new OpenLineageFacets(resolved.producer);
  const steps = tracker.stepExecutions;
  const b: Builder = {
    tracker, options: resolved, facets,
    datasets: { facets, datasetNamespace: resolved.datasetNamespace, baseDir: tracker.baseDir, checks: checksByDataset(steps) },
    pipelineRun: { run: { runId: pipelineRunId(tracker) }, job: { namespace: resolved.namespace, name: tracker.pipelineName } },
  };
  const { start, end } = pipelineEvents(b);
  const children = byTime(steps.flatMap((step) => stepEvents(b, step)));
  return end === undefined ? [start, ...children] : [start, ...children, end];
}
