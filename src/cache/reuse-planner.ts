import type { LoadedCheckpoint } from "../checkpoint/run-checkpoint.js";
import type { DataMap } from "../data/data-map.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import { errorMessage } from "../util/error-message.js";
import type { CacheIndex } from "./cache-index.js";
import type { EngineVersions } from "./cache-key.js";
import type { FileVersions } from "./file-versions.js";
import { sourceVersionsOf } from "./fingerprint.js";
import type { NodeDecision } from "./node-decision.js";
import type { ObjectStore } from "./object-store.js";
import { planReuse } from "./plan-reuse.js";

/** Every decision of a run about reuse, made before anything is scheduled. */
export interface ReusePlan {
  /** Each node's decision, by its index among the pipeline's steps (empty when planning failed). */
  readonly decisions: readonly (NodeDecision | undefined)[];
  /**
   * Datasets that a plain Parquet write step will write anyway (dataset name to the writer's index): the
   * written file becomes their stored object instead of a second copy. Only writers that will run are here.
   */
  readonly writtenBy: ReadonlyMap<string, number>;
}

/** What the planner reads. */
export interface ReusePlannerOptions {
  readonly objects: ObjectStore;
  readonly index: CacheIndex;
  readonly fileVersions: FileVersions;
  readonly baseDir: string;
  readonly versions: EngineVersions;
  /** Look results up in the cache, and keep new ones there (the run's `cache` option). */
  readonly cache: boolean;
  /** The checkpoint of the run being resumed, if any. */
  readonly resume: LoadedCheckpoint | undefined;
  readonly warn: (message: string) => void;
}

/**
 * Decides, before the scheduler starts, every node's key and whether it reuses a stored result: versions
 * the given sources, hashes every read step's source file up front (a size-and-mtime match skips the
 * hashing), and looks every key up. Nothing it decides changes later, so nobody waits for it mid-run.
 */
export class ReusePlanner {
  constructor(private readonly options: ReusePlannerOptions) {}

  async plan(planned: PlannedPipeline, dataMap: DataMap): Promise<ReusePlan> {
    try {
      const sourceVersions = await sourceVersionsOf(planned, dataMap);
      const { objects, index, fileVersions, baseDir, versions, cache, resume, warn } = this.options;
      const decisions = await planReuse(planned, {
        baseDir, versions, sourceVersions, index, store: objects, fileVersions, lookup: cache, storeInCache: cache, resume, warn,
      });
      return { decisions, writtenBy: writtenBy(planned, decisions) };
    } catch (error) {
      this.options.warn(`the cache could not plan this run, so every step runs: ${errorMessage(error)}`);
      return { decisions: [], writtenBy: new Map() };
    }
  }
}

/** The datasets plain Parquet write steps (no options) that will run write as they are. */
function writtenBy(planned: PlannedPipeline, decisions: readonly (NodeDecision | undefined)[]): Map<string, number> {
  const written = new Map<string, number>();
  for (const spec of planned.dag.specs) {
    const input = spec.inputs[0];
    if (spec.body.kind !== "write" || spec.body.format !== "parquet" || Object.keys(spec.body.options).length > 0) continue;
    if (input === undefined || !planned.dag.producerOf.has(input.dataset) || written.has(input.dataset)) continue;
    const decision = decisions[spec.index];
    if (decision?.key === undefined || decision.reuse !== undefined) continue;
    written.set(input.dataset, spec.index);
  }
  return written;
}
