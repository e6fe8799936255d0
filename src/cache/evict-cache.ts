import type { CacheIndex, KeyEntry } from "./cache-index.js";
import type { ObjectStore } from "./object-store.js";
import type { StoredResult } from "./stored-output.js";

/** Objects younger than this are never collected: another process may be about to reference them. */
const GRACE_MS = 10 * 60_000;

function objectsOf(result: StoredResult): string[] {
  return Object.values(result.outputs).flatMap((o) => (o.data.kind === "object" ? [o.data.object.sha256] : []));
}

/**
 * Keeps the store under `maxBytes`: when it is over, drops cache entries least recently used first and
 * deletes the objects no remaining entry (nor a checkpoint of an unfinished run) points at. Also sweeps
 * temporary files that crashed writers left behind, and lets the index tidy its storage ({@link CacheIndex.compact}).
 */
export async function evictCache(options: { index: CacheIndex; store: ObjectStore; maxBytes: number; protectedObjects: ReadonlySet<string> }): Promise<void> {
  const { index, store, maxBytes, protectedObjects } = options;
  await index.compact?.();
  await store.sweepTemp(60 * 60_000);
  const objects = await store.list();
  let total = objects.reduce((sum, o) => sum + o.bytes, 0);
  if (total <= maxBytes) return;
  const entries = (await index.list()).sort((a, b) => a.lastUsed.localeCompare(b.lastUsed));
  const users = new Map<string, Set<KeyEntry>>();
  for (const entry of entries) for (const sha of objectsOf(entry)) (users.get(sha) ?? users.set(sha, new Set()).get(sha))?.add(entry);
  const now = Date.now();
  const removed = new Set<string>();
  const collectable = (o: (typeof objects)[number]): boolean =>
    !removed.has(o.sha256) && (users.get(o.sha256)?.size ?? 0) === 0 && !protectedObjects.has(o.sha256) && now - o.mtimeMs > GRACE_MS;
  const collect = async (): Promise<void> => {
    for (const object of objects) {
      if (total <= maxBytes) return;
      if (!collectable(object)) continue;
      await store.remove(object);
      total -= object.bytes;
      users.delete(object.sha256);
      removed.add(object.sha256);
    }
  };
  await collect();
  for (const entry of entries) {
    if (total <= maxBytes) return;
    await index.remove(entry.key);
    for (const sha of objectsOf(entry)) users.get(sha)?.delete(entry);
    await collect();
  }
}
