import type { CacheKeyParts } from "./cache-key.js";
import type { FileVersion } from "./file-versions.js";
import type { StoredResult } from "./stored-output.js";

import type { ReuseSource } from "../model/run-model.js";

export { REUSE_SOURCES } from "../model/run-model.js";
export type { ReuseSource } from "../model/run-model.js";

/** What the cache decided for one node before the run started. */
export interface NodeDecision {
  /** The node's cache key; undefined when it cannot have one (see `uncacheable`). */
  readonly key: string | undefined;
  /** What the key is made of, part by part (hashed), when it has one. */
  readonly keyParts?: CacheKeyParts;
  /** Why the node has no key: params that cannot be hashed, a missing source file, an upstream without one. */
  readonly uncacheable: string | undefined;
  /** Each output's data version (derived from the key). */
  readonly dataVersions: Readonly<Record<string, string>>;
  /** A read step's source file version. */
  readonly file: FileVersion | undefined;
  /** A stored result to reuse instead of running, when there is one. */
  reuse: { readonly result: StoredResult; readonly from: ReuseSource } | undefined;
  /** True when the node's result is to be kept in the cache after it runs. */
  readonly storeInCache: boolean;
  /** Why the node will run although it has a key (`recompute`, `disable`, miss, changed target, corrupted data). */
  missReason: string | undefined;
  /**
   * Outputs an earlier run made and did not keep (the persistence policy), which a step of this run reads:
   * the node runs again to rebuild them, and they are kept this time.
   */
  rebuilt?: Set<string>;
}
