import { utimes } from "node:fs/promises";
import type { FolderObjectStore } from "../cache/folder-object-store.js";

/** Local copies younger than this are never trimmed: a step may be about to read one it just fetched. */
export const LOCAL_COPY_GRACE_MS = 10 * 60_000;

/**
 * Keeps a local pull-through cache of a shared store's objects (`.linea/worker-cache`) under `maxBytes`:
 * removes the least recently used copies first (their time is touched each time one is used, see
 * {@link touchLocalCopy}), sparing those used within {@link LOCAL_COPY_GRACE_MS}. Every copy can be fetched
 * again from the shared store, and is checked by its sha256 when it is, so removing one loses nothing.
 * Returns the bytes removed.
 */
export async function trimLocalCopies(local: FolderObjectStore, maxBytes: number, now = Date.now(), graceMs = LOCAL_COPY_GRACE_MS): Promise<number> {
  const copies = await local.list();
  let total = copies.reduce((sum, copy) => sum + copy.bytes, 0);
  if (total <= maxBytes) return 0;
  let removed = 0;
  for (const copy of copies.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
    if (total <= maxBytes || now - copy.mtimeMs < graceMs) break;
    await local.remove(copy);
    total -= copy.bytes;
    removed += copy.bytes;
  }
  return removed;
}

/** Marks a local copy as used now (what {@link trimLocalCopies} orders by); false when it is not there (any more). */
export async function touchLocalCopy(path: string): Promise<boolean> {
  const now = new Date();
  return utimes(path, now, now).then(() => true, () => false);
}
