/** One step as the plan shows it. */
export interface PlanStep {
  readonly name: string;
  /** The step's own `layer` label (ingest, transform, ...), if it has one. */
  readonly layer: string | undefined;
  /** The steps whose outputs this one reads, in plan order. */
  readonly upstream: readonly string[];
  /** The steps that read this one's outputs, in plan order. */
  readonly downstream: readonly string[];
  /** Dataset names read and written. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Index into `layers`: 0 for steps with no upstream, else one more than the deepest upstream. */
  readonly depth: number;
}

/** One edge of the DAG: `to` reads `dataset`, which `from` outputs. */
export interface PlanEdge {
  readonly from: string;
  readonly to: string;
  readonly dataset: string;
}

/** How a plan was narrowed by `select`/`exclude`. */
export interface PlanSelection {
  readonly select?: string;
  readonly exclude?: string;
  /** The selected steps, in plan order: the ones that run. */
  readonly steps: readonly string[];
  /** The steps left out, in the full plan's order. */
  readonly unselected: readonly string[];
  /** Datasets the selected steps read from unselected steps: reused from the cache or a checkpoint. */
  readonly reused: ReadonlyArray<{ readonly dataset: string; readonly producer: string; readonly consumers: readonly string[] }>;
}

/**
 * What `plan()` returns and `execute()` runs. Deterministic: the same steps always give the same plan,
 * `batchRunId` included (it is a fingerprint of the pipeline's shape, so runs of one shape share it;
 * each execution has a `runId` of its own).
 */
export interface ExecutionPlan {
  readonly batchRunId: string;
  readonly pipelineName: string;
  /** Topological order; ties broken by declaration order. */
  readonly order: readonly string[];
  /** Topological generations: `layers[d]` holds the steps of depth `d`, in declaration order. */
  readonly layers: readonly (readonly string[])[];
  /** Every step, in `order`. */
  readonly steps: readonly PlanStep[];
  /** Datasets read but produced by no step: supplied by `execute({ sources })`. */
  readonly sources: readonly string[];
  readonly edges: readonly PlanEdge[];
  /** Present when the plan is of a selection of the pipeline's steps (`select`/`exclude`). */
  readonly selection?: PlanSelection;
}
