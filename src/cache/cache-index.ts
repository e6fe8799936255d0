import type { StoredResult } from "./stored-output.js";

/** A cache entry: a key's stored result with its bookkeeping. Kept apart from the data it points to. */
export interface KeyEntry extends StoredResult {
  readonly format: 1;
  readonly pipeline: string;
  readonly created: string;
  readonly lastUsed: string;
  readonly hits: number;
}

/** The shape of a cache key: 64 lowercase hex digits (a sha256). */
export const CACHE_KEY_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The cache's index: cache key to stored result (which points at objects of an {@link ObjectStore}).
 * Implementations: `FolderCacheIndex` (append-only logs of checksummed records, the default:
 * `.linea/cache/keys`); `BlobCacheIndex` (an object per key in a blob store); the tests' in-memory one. An entry that cannot be read counts as none: a miss, never a failure.
 */
export interface CacheIndex {
  /** Where the index is, for messages. */
  readonly location: string;
  /** The entry of `key`, or undefined. */
  get(key: string): Promise<KeyEntry | undefined>;
  /** The entries of several keys (those it has), when the index can look many up faster than one by one. */
  getMany?(keys: readonly string[]): Promise<ReadonlyMap<string, KeyEntry>>;
  /** Writes (or replaces) an entry, whole. */
  put(entry: KeyEntry): Promise<void>;
  /** Records a hit: one more use, at `now` (an ISO time; @default the current time). */
  touch(entry: KeyEntry, now?: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every entry (for eviction). */
  list(): Promise<KeyEntry[]>;
  /** Tidies the index's own storage (merges logs, say); called once a run has kept its results. Optional. */
  compact?(): Promise<void>;
}

/** The entries `get` finds for `keys`, looked up a few at a time (64 at once): for indexes without a bulk lookup. */
export async function getInBatches(keys: readonly string[], get: (key: string) => Promise<KeyEntry | undefined>): Promise<Map<string, KeyEntry>> {
  const found = new Map<string, KeyEntry>();
  for (let i = 0; i < keys.length; i += 64) {
    const batch = keys.slice(i, i + 64);
    const entries = await Promise.all(batch.map(get));
    entries.forEach((entry, k) => entry !== undefined && found.set(batch[k] as string, entry));
  }
  return found;
}
