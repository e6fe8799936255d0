import { resolve } from "node:path";
import type { CheckResult } from "../../execute/check-result.js";
import type { Snapshot } from "../snapshot.js";
import type { StepExecution } from "../step-execution.js";
import type { OpenLineageFacets } from "./openlineage-facets.js";
import type {
  OpenLineageColumnMetrics, OpenLineageDataQualityMetricsFacet, OpenLineageDatasetId, OpenLineageInputDataset, OpenLineageOutputDataset,
} from "./openlineage-types.js";

/** What naming and describing a step's datasets needs. */
export interface DatasetContext {
  readonly facets: OpenLineageFacets;
  /** The namespace of in-run datasets. */
  readonly datasetNamespace: string;
  /** The folder relative file paths resolve against. */
  readonly baseDir: string;
  /** Every check result of the run, keyed by the dataset checked. */
  readonly checks: ReadonlyMap<string, readonly CheckResult[]>;
}

/** A step's datasets as OpenLineage sees them. */
export interface StepDatasets {
  readonly inputs: OpenLineageInputDataset[];
  readonly outputs: OpenLineageOutputDataset[];
}

/** Every check result of the run, keyed by the dataset it checked. */
export function checksByDataset(steps: readonly StepExecution[]): Map<string, CheckResult[]> {
  const found = new Map<string, CheckResult[]>();
  for (const step of steps) for (const check of step.checks) found.set(check.dataset, [...(found.get(check.dataset) ?? []), check]);
  return found;
}

/**
 * Null counts that are already known, never measured here: a not_null check that ran counted its
 * column's nulls (its failing rows). Other columns get no metrics.
 */
function knownColumnMetrics(checks: readonly CheckResult[]): Record<string, OpenLineageColumnMetrics> {
  const metrics: Record<string, OpenLineageColumnMetrics> = {};
  for (const check of checks) {
    const column = check.columns[0];
    if (check.kind === "not_null" && check.status !== "error" && column !== undefined) metrics[column] = { nullCount: check.failingRows };
  }
  return metrics;
}

function qualityMetrics(ctx: DatasetContext, snapshot: Snapshot | undefined, checks: readonly CheckResult[], input: boolean): OpenLineageDataQualityMetricsFacet | undefined {
  const rowCount = snapshot?.rowCount ?? checks.find((c) => c.status !== "error")?.totalRows;
  const columnMetrics = knownColumnMetrics(checks);
  if (rowCount === undefined && Object.keys(columnMetrics).length === 0) return undefined;
  return ctx.facets.dataQualityMetrics(rowCount, columnMetrics, input);
}

/** A value dataset has no schema and no rows to report: only its name goes into the events. */
const tableSnapshot = (snapshot: Snapshot | undefined): Snapshot | undefined => (snapshot?.value === undefined ? snapshot : undefined);

function inputDataset(ctx: DatasetContext, id: OpenLineageDatasetId, given: Snapshot | undefined, checks: readonly CheckResult[]): OpenLineageInputDataset {
  const snapshot = tableSnapshot(given);
  const metrics = qualityMetrics(ctx, snapshot, checks, true);
  return {
    ...id,
    ...(snapshot !== undefined ? { facets: { schema: ctx.facets.schema(snapshot.schema) } } : {}),
    ...(metrics !== undefined ? { inputFacets: { dataQualityMetrics: metrics } } : {}),
  };
}

function outputDataset(ctx: DatasetContext, id: OpenLineageDatasetId, given: Snapshot | undefined, checks: readonly CheckResult[]): OpenLineageOutputDataset {
  const snapshot = tableSnapshot(given);
  const metrics = qualityMetrics(ctx, snapshot, checks, false);
  const facets = {
    ...(snapshot !== undefined ? { schema: ctx.facets.schema(snapshot.schema) } : {}),
    ...(metrics !== undefined ? { dataQualityMetrics: metrics } : {}),
    ...(checks.length > 0 ? { dataQualityAssertions: ctx.facets.dataQualityAssertions(checks) } : {}),
  };
  return {
    ...id,
    ...(Object.keys(facets).length > 0 ? { facets } : {}),
    ...(snapshot !== undefined ? { outputFacets: { outputStatistics: ctx.facets.outputStatistics(snapshot.rowCount) } } : {}),
  };
}

/**
 * Each output with its `columnLineage` facet, when the step has column lineage for it. A read or write
 * step's file is named by its path in the lineage, and identified as a file here.
 */
function withColumnLineage(step: StepExecution, ctx: DatasetContext, outputs: OpenLineageOutputDataset[]): OpenLineageOutputDataset[] {
  const lineage = step.columnLineage?.outputs;
  if (lineage === undefined) return outputs;
  const path = step.body.kind === "read" || step.body.kind === "write" ? step.body.path : undefined;
  const idOf = (name: string): OpenLineageDatasetId => (name === path ? fileId(ctx, name) : datasetId(ctx, name));
  const byId = new Map(Object.entries(lineage).map(([name, l]) => [JSON.stringify(idOf(name)), l]));
  return outputs.map((output) => {
    const own = byId.get(JSON.stringify({ namespace: output.namespace, name: output.name }));
    if (own === undefined) return output;
    return { ...output, facets: { ...output.facets, columnLineage: ctx.facets.columnLineage(own, idOf) } };
  });
}

const fileId = (ctx: DatasetContext, path: string): OpenLineageDatasetId => ({ namespace: "file", name: resolve(ctx.baseDir, path) });
const datasetId = (ctx: DatasetContext, name: string): OpenLineageDatasetId => ({ namespace: ctx.datasetNamespace, name });

/**
 * The identities of a step's datasets, without facets (what a START event carries): its inputs, plus
 * the file a read step reads; its outputs, plus the file a write step writes.
 */
export function stepDatasetIds(step: StepExecution, ctx: DatasetContext): { inputs: OpenLineageDatasetId[]; outputs: OpenLineageDatasetId[] } {
  const path = step.body.path;
  const inputs = step.inputs.map((i) => datasetId(ctx, i.dataset));
  const outputs = step.outputs.map((o) => datasetId(ctx, o));
  if (step.body.kind === "read" && path !== undefined) inputs.push(fileId(ctx, path));
  if (step.body.kind === "write" && path !== undefined) outputs.push(fileId(ctx, path));
  return { inputs, outputs };
}

/**
 * A step's datasets with what the run learnt about them (what a COMPLETE or FAIL event carries). Inputs:
 * `schema` and the input facet `dataQualityMetrics`; outputs: `schema`, `dataQualityMetrics`,
 * `dataQualityAssertions` (the step's checks) and the output facet `outputStatistics`. A read step's file
 * is described by the dataset read from it; a write step's file by the data written.
 */
export function stepDatasets(step: StepExecution, ctx: DatasetContext): StepDatasets {
  const checksOf = (dataset: string): readonly CheckResult[] => ctx.checks.get(dataset) ?? [];
  const ownChecks = (dataset: string): CheckResult[] => step.checks.filter((c) => c.dataset === dataset);
  const inputs = step.inputs.map((i) => inputDataset(ctx, datasetId(ctx, i.dataset), step.beforeSnapshots[i.local], checksOf(i.dataset)));
  const outputs = step.outputs.map((o) => outputDataset(ctx, datasetId(ctx, o), step.afterSnapshots[o], ownChecks(o)));
  const path = step.body.path;
  if (step.body.kind === "read" && path !== undefined) {
    const read = step.outputs[0];
    inputs.push(inputDataset(ctx, fileId(ctx, path), read === undefined ? undefined : step.afterSnapshots[read], read === undefined ? [] : checksOf(read)));
  }
  if (step.body.kind === "write" && path !== undefined) outputs.push(outputDataset(ctx, fileId(ctx, path), step.afterSnapshots[path], []));
  return { inputs, outputs: withColumnLineage(step, ctx, outputs) };
}
