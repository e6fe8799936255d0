import type { DataMap } from "../data/data-map.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { EngineVersions } from "./cache-key.js";
import type { CacheIndex } from "./cache-index.js";
import type { FileVersions } from "./file-versions.js";
import { sourceVersionsOf } from "./fingerprint.js";
import type { NodeDecision } from "./node-decision.js";
import type { ObjectStore } from "./object-store.js";
import { planReuse } from "./plan-reuse.js";

/** Where the cache is and how a run would use it. */
export interface PreviewReuseOptions {
  readonly objects: ObjectStore;
  readonly index: CacheIndex;
  readonly fileVersions: FileVersions;
  readonly baseDir: string;
  /** The run's `cache` option: look results up. */
  readonly cache: boolean;
  readonly versions: EngineVersions;
  readonly warn: (message: string) => void;
}

/** What a preview found: every node's decision, and the stores it looked in. */
export interface ReusePreview {
  readonly decisions: readonly NodeDecision[];
  readonly store: ObjectStore;
  readonly fileVersions: FileVersions;
}

/**
 * Every node's cache decision for a run of `planned`, made as a run would make it, without running or
 * storing anything (source files are hashed, and their hashes remembered, as a run does). Sources must be
 * in `dataMap` (they are fingerprinted).
 */
export async function previewReuse(planned: PlannedPipeline, dataMap: DataMap, options: PreviewReuseOptions): Promise<ReusePreview> {
  const sourceVersions = await sourceVersionsOf(planned, dataMap);
  const { objects: store, fileVersions, index } = options;
  const decisions = await planReuse(planned, {
    baseDir: options.baseDir, versions: options.versions, sourceVersions, index, store,
    fileVersions, lookup: options.cache, storeInCache: false, resume: undefined, warn: options.warn,
  });
  return { decisions, store, fileVersions };
}
