// The local pull-through cache of a shared store's objects is trimmed to a size, least recently used
// first, sparing copies used lately; a copy trimmed away is fetched again (and checked) when next needed.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FolderObjectStore } from "../../src/cache/folder-object-store.js";
import { FolderBlobStore } from "../../src/stores/folder-blob-store.js";
import { SharedObjects } from "../../src/stores/shared-objects.js";
import { LOCAL_COPY_GRACE_MS, trimLocalCopies } from "../../src/stores/trim-local-copies.js";
import { tempDir } from "../helpers/temp-dir.js";

const HOUR = 3_600_000;

/** A local copy of `bytes` bytes last used `ageMs` ago (relative to `now`). */
async function copy(local: FolderObjectStore, text: string, ageMs: number, now: number): Promise<string> {
  const file = join(tempDir(), "f.parquet");
  writeFileSync(file, text);
  const object = await local.put(file, "parquet");
  const path = local.pathOf(object);
  const when = new Date(now - ageMs);
  utimesSync(path, when, when);
  return path;
}

describe("trimLocalCopies", () => {
  it("removes the least recently used copies until the cache fits, and spares those used within the grace period", async () => {
    const local = new FolderObjectStore(tempDir());
    const now = Date.now();
    const oldest = await copy(local, "a".repeat(100), 3 * HOUR, now);
    const older = await copy(local, "b".repeat(100), 2 * HOUR, now);
    const old = await copy(local, "c".repeat(100), 1 * HOUR, now);
    const recent = await copy(local, "d".repeat(100), LOCAL_COPY_GRACE_MS / 2, now);
    expect(await trimLocalCopies(local, 400, now)).toBe(0);
    expect(await trimLocalCopies(local, 250, now)).toBe(200);
    expect([oldest, older, old, recent].map((p) => existsSync(p))).toEqual([false, false, true, true]);
    // Under any limit, a copy used within the grace period stays (a step may be about to read it).
    expect(await trimLocalCopies(local, 1, now)).toBe(100);
    expect([old, recent].map((p) => existsSync(p))).toEqual([false, true]);
  });

  it("a copy trimmed away is fetched again from the shared store, checked, when it is next needed", async () => {
    const store = new FolderBlobStore(tempDir());
    const localDir = tempDir();
    const objects = new SharedObjects(store, localDir);
    const file = join(tempDir(), "out.parquet");
    writeFileSync(file, "some parquet bytes");
    const object = await objects.put(file, "parquet");
    expect(object.sha256).toBe(createHash("sha256").update("some parquet bytes").digest("hex"));
    const path = await objects.fetch(object);
    // Used long ago: the trim removes it, although this process checked it before.
    const then = new Date(Date.now() - HOUR);
    utimesSync(path, then, then);
    expect(await trimLocalCopies(new FolderObjectStore(localDir), 1)).toBe(18);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(await objects.fetch(object), "utf8")).toBe("some parquet bytes");
  });

  it("using a copy makes it recent: it outlives copies used before it", async () => {
    const store = new FolderBlobStore(tempDir());
    const localDir = tempDir();
    const objects = new SharedObjects(store, localDir);
    const put = async (text: string) => {
      const file = join(tempDir(), "x.parquet");
      writeFileSync(file, text);
      return objects.put(file, "parquet");
    };
    const first = await put("first object");
    const second = await put("second object");
    const local = new FolderObjectStore(localDir);
    const hourAgo = new Date(Date.now() - 2 * HOUR);
    const twoHoursAgo = new Date(Date.now() - 3 * HOUR);
    utimesSync(local.pathOf(first), twoHoursAgo, twoHoursAgo);
    utimesSync(local.pathOf(second), hourAgo, hourAgo);
    await objects.fetch(first); // used now
    await trimLocalCopies(local, first.bytes);
    expect(existsSync(local.pathOf(first))).toBe(true);
    expect(existsSync(local.pathOf(second))).toBe(false);
  });
});
