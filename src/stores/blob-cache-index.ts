import { CACHE_KEY_PATTERN, getInBatches, type CacheIndex, type KeyEntry } from "../cache/cache-index.js";
import type { BlobStore } from "./blob-store.js";
import { isUnreachable } from "./object-store-error.js";

/** The prefix of cache entries in a blob store. */
const KEYS = "cache/keys/";

/**
 * The {@link CacheIndex} in a {@link BlobStore} (S3, or a shared folder): one small JSON text per key
 * (`cache/keys/ab/abcd....json`), each written whole (a blob store's writes are), so coordinators on other
 * machines with the same store find each other's results. An entry that cannot be read or parsed is a miss;
 * a store that cannot be reached at all is an `ObjectStoreError` naming it (a run should not quietly compute
 * everything again and then fail to store it).
 */
export class BlobCacheIndex implements CacheIndex {
  constructor(readonly blobs: BlobStore) {}

  get location(): string {
    return `${this.blobs.address} (${KEYS})`;
  }

  private keyOf(key: string): string {
    if (!CACHE_KEY_PATTERN.test(key)) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
    return `${KEYS}${key.slice(0, 2)}/${key}.json`;
  }

  async get(key: string): Promise<KeyEntry | undefined> {
    const blobKey = this.keyOf(key);
    try {
      const text = await this.blobs.getText(blobKey);
      if (text === undefined) return undefined;
      const entry = JSON.parse(text) as KeyEntry;
      return entry.format === 1 && entry.key === key ? entry : undefined;
    } catch (error) {
      if (isUnreachable(error)) throw error;
      return undefined;
    }
  }

  getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KeyEntry>> {
    return getInBatches(keys, (key) => this.get(key));
  }

  async put(entry: KeyEntry): Promise<void> {
    await this.blobs.putText(this.keyOf(entry.key), JSON.stringify(entry));
  }

  async touch(entry: KeyEntry, now: string = new Date().toISOString()): Promise<void> {
    await this.put({ ...entry, hits: entry.hits + 1, lastUsed: now });
  }

  async remove(key: string): Promise<void> {
    await this.blobs.remove(this.keyOf(key));
  }

  async list(): Promise<KeyEntry[]> {
    const keys = (await this.blobs.list(KEYS))
      .map((blobKey) => /^cache\/keys\/[0-9a-f]{2}\/([0-9a-f]{64})\.json$/.exec(blobKey)?.[1])
      .filter((key): key is string => key !== undefined);
    return [...(await getInBatches(keys, (key) => this.get(key))).values()];
  }
}
