import { FileVersions } from "../cache/file-versions.js";
import { previewReuse, type ReusePreview } from "../cache/preview-reuse.js";
import { q } from "../util/quote.js";
import type { ReuseSource } from "../cache/node-decision.js";
import { DataMap } from "../data/data-map.js";
import type { Engines } from "../engines/engines.js";
import { RunRuntime } from "../execute/run-runtime.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { ExecutionPlan } from "../plan/execution-plan.js";
import type { DatasetValue } from "../step/step.js";
import { cacheStorageOf } from "./create-run-services.js";
import { engineVersions } from "./engine-versions.js";
import type { OrchestratorOptions } from "./orchestrator-options.js";
import { sourceHandle } from "./source-handle.js";

/** What a run would do with one step. */
export const DRY_RUN_ACTIONS = ["run", "reuse"] as const;
export type DryRunAction = (typeof DRY_RUN_ACTIONS)[number];

/** One step of a dry run. */
export interface DryRunStep {
  readonly name: string;
  readonly layer: string | undefined;
  readonly action: DryRunAction;
  /** For a reused step: where its result would come from. */
  readonly reusedFrom?: ReuseSource;
  /** For a step that would run: why it is not reused (its cache miss reason). */
  readonly reason?: string;
  readonly cacheKey?: string;
}

/** What `execute()` would do, found without running anything. */
export interface DryRunReport {
  readonly pipelineName: string;
  /** The plan the run would follow (of the selection, when there is one). */
  readonly plan: ExecutionPlan;
  /** The plan's steps, in order. */
  readonly steps: readonly DryRunStep[];
  readonly counts: Readonly<Record<DryRunAction, number>>;
  /**
   * What the run would keep of the outputs of the steps that would run (the `persist` policy): each
   * output with `source-file` (a read step's file), `written-file` (a Parquet write step writes it),
   * `every` (persist: "all"), or `auto` (kept when small, read by no step, rebuilt for a later run, or much slower to compute than to store).
   */
  readonly persist: Readonly<Record<string, "source-file" | "written-file" | "every" | "auto">>;
}

const NO_ENTRY = "no cache entry for its key";

/**
 * Why a step has no cache entry, when an upstream says it: an upstream without an entry either has a new
 * key, so its outputs have new data versions, and so has this step.
 */
function upstreamHint(full: PlannedPipeline, decisions: ReusePreview["decisions"], index: number, reason: string): string {
  if (reason !== NO_ENTRY) return "";
  const changed = (full.dag.upstream[index] ?? []).filter((up) => decisions[up]?.missReason === NO_ENTRY).map((up) => full.dag.specs[up]?.name as string);
  return changed.length === 0 ? "" : ` (its inputs changed: ${changed.map(q).join(", ")} ${changed.length === 1 ? "has a new key" : "have new keys"} too)`;
}

/** What a run would keep of the outputs of the steps that would run (see {@link DryRunReport.persist}). */
function persistPlan(planned: PlannedPipeline, steps: readonly DryRunStep[], options: OrchestratorOptions): DryRunReport["persist"] {
  const plan: Record<string, "source-file" | "written-file" | "every" | "auto"> = {};
  if (options.cache === false && options.checkpoint === false) return plan;
  const running = new Set(steps.filter((s) => s.action === "run").map((s) => s.name));
  const written = new Set<string>();
  for (const spec of planned.dag.specs) {
    const input = spec.inputs[0]?.dataset;
    if (spec.body.kind === "write" && spec.body.format === "parquet" && Object.keys(spec.body.options).length === 0 && running.has(spec.name) && input !== undefined) written.add(input);
  }
  for (const spec of planned.dag.specs) {
    if (!running.has(spec.name)) continue;
    for (const output of spec.outputs) {
      plan[output] = spec.body.kind === "read" ? "source-file" : written.has(output) ? "written-file" : options.persist === "all" ? "every" : "auto";
    }
  }
  return plan;
}

/**
 * Decides, as `execute()` would, which steps would run and which would be reused, and why, without
 * running a step, storing a result, writing a checkpoint or recording a run (source files are hashed, and
 * their hashes remembered in the cache folder, as a run does). For a selection, the keys come from the
 * whole pipeline, so they are those a selected run would have.
 */
export async function dryRun(input: {
  readonly options: OrchestratorOptions;
  readonly full: PlannedPipeline;
  readonly planned: PlannedPipeline;
  readonly sources: Readonly<Record<string, DatasetValue>>;
  readonly engines: Engines;
  readonly warn: (message: string) => void;
}): Promise<DryRunReport> {
  const { options, full, planned } = input;
  const runtime = new RunRuntime(input.engines);
  try {
    const dataMap = new DataMap();
    for (const [name, value] of Object.entries(input.sources)) dataMap.set(await sourceHandle(name, value, runtime));
    const baseDir = options.baseDir ?? process.cwd();
    const storage = cacheStorageOf(options.cacheDir, baseDir);
    const preview = await previewReuse(full, dataMap, {
      objects: storage.objects, index: storage.index, fileVersions: new FileVersions(storage.fileVersionsDir), baseDir, cache: options.cache !== false, versions: engineVersions(input.engines), warn: input.warn,
    });
    const byName = new Map(full.dag.specs.map((s) => [s.name, s.index]));
    const steps = planned.plan.steps.map((step): DryRunStep => {
      const decision = preview.decisions[byName.get(step.name) as number];
      const key = decision?.key === undefined ? {} : { cacheKey: decision.key };
      if (decision?.reuse !== undefined) return { name: step.name, layer: step.layer, action: "reuse", reusedFrom: decision.reuse.from, ...key };
      const reason = decision?.missReason ?? decision?.uncacheable ?? (options.cache === false ? "the cache is off for this run" : "it has no cache key");
      return { name: step.name, layer: step.layer, action: "run", reason: reason + upstreamHint(full, preview.decisions, byName.get(step.name) as number, reason), ...key };
    });
    const counts = { run: steps.filter((s) => s.action === "run").length, reuse: steps.filter((s) => s.action === "reuse").length };
    return { pipelineName: options.name, plan: planned.plan, steps, counts, persist: persistPlan(planned, steps, options) };
  } finally {
    await runtime.dispose();
  }
}
