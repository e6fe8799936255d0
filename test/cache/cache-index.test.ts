// The CacheIndex contract over the folder index (the default), the tests' in-memory one, and the index in a
// blob store (S3 served by s3rver, which the test starts, and a shared folder).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FolderCacheIndex, type CacheIndex, type KeyEntry } from "../../src/index.js";
import { BlobCacheIndex } from "../../src/stores/blob-cache-index.js";
import { FolderBlobStore } from "../../src/stores/folder-blob-store.js";
import { openBlobStore } from "../../src/stores/open-blob-store.js";
import { MemoryCacheIndex } from "../helpers/memory-stores.js";
import { startS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const key = (n: number): string => createHash("sha256").update(String(n)).digest("hex");

function entry(n: number, over: Partial<KeyEntry> = {}): KeyEntry {
  return {
    format: 1, key: key(n), step: `step_${n}`, pipeline: "p", created: "2026-01-01T00:00:00.000Z", lastUsed: "2026-01-01T00:00:00.000Z", hits: 0,
    outputs: {
      out: {
        dataVersion: key(n + 1000), rowCount: 3, schema: [{ name: "a", type: "INTEGER" }], sample: [{ a: 1 }],
        data: { kind: "object", object: { sha256: key(n + 2000), format: "parquet", bytes: 10 } },
      },
    },
    ...over,
  };
}

let s3: Awaited<ReturnType<typeof startS3Server>>;
beforeAll(async () => {
  s3 = await startS3Server();
});

const IMPLEMENTATIONS: Array<{ name: string; make: () => CacheIndex }> = [
  { name: "FolderCacheIndex", make: () => new FolderCacheIndex(join(tempDir(), "keys")) },
  { name: "MemoryCacheIndex", make: () => new MemoryCacheIndex() },
  { name: "BlobCacheIndex on S3 (s3rver)", make: () => new BlobCacheIndex(openBlobStore(s3.address(`k${Math.random().toString(16).slice(2, 8)}`))) },
  { name: "BlobCacheIndex on a shared folder", make: () => new BlobCacheIndex(new FolderBlobStore(tempDir())) },
];

describe.each(IMPLEMENTATIONS)("CacheIndex contract: $name", ({ make }) => {
  it("gives back an entry put under its key, whole", async () => {
    const index = make();
    await index.put(entry(1));
    expect(await index.get(key(1))).toEqual(entry(1));
    expect(await index.get(key(2))).toBeUndefined();
  });

  it("looks many keys up at once, when it can: the entries it has, none for the others", async () => {
    const index = make();
    await index.put(entry(1));
    await index.put(entry(3));
    if (index.getMany === undefined) return;
    const found = await index.getMany([key(1), key(2), key(3)]);
    expect([...found.keys()].sort()).toEqual([key(1), key(3)].sort());
    expect(found.get(key(3))).toEqual(entry(3));
    expect((await index.getMany([])).size).toBe(0);
  });

  it("replaces an entry put again", async () => {
    const index = make();
    await index.put(entry(1));
    await index.put(entry(1, { step: "renamed" }));
    expect((await index.get(key(1)))?.step).toBe("renamed");
    expect(await index.list()).toHaveLength(1);
  });

  it("records a hit: one more use, at the time given", async () => {
    const index = make();
    await index.put(entry(1));
    await index.touch(entry(1), "2026-02-02T00:00:00.000Z");
    expect(await index.get(key(1))).toMatchObject({ hits: 1, lastUsed: "2026-02-02T00:00:00.000Z", created: "2026-01-01T00:00:00.000Z" });
  });

  it("lists every entry and removes one", async () => {
    const index = make();
    for (const n of [1, 2, 3]) await index.put(entry(n));
    expect((await index.list()).map((e) => e.key).sort()).toEqual([key(1), key(2), key(3)].sort());
    await index.remove(key(2));
    expect((await index.list()).map((e) => e.key).sort()).toEqual([key(1), key(3)].sort());
    await index.remove(key(2)); // removing what is gone is fine
  });

  it("refuses a key that is not a sha256", async () => {
    await expect(make().put(entry(1, { key: "../evil" }))).rejects.toThrow('not a cache key: "../evil"');
  });
});

describe("FolderCacheIndex", () => {
  it("counts an unreadable or foreign entry as none: a miss, never a failure", async () => {
    const dir = tempDir();
    const index = new FolderCacheIndex(dir);
    mkdirSync(join(dir, key(1).slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, key(1).slice(0, 2), `${key(1)}.json`), "{ torn");
    await index.put(entry(2));
    writeFileSync(join(dir, key(2).slice(0, 2), `${key(2)}.json`), JSON.stringify(entry(3))); // another key's entry under this name
    expect(await index.get(key(1))).toBeUndefined();
    expect(await index.get(key(2))).toBeUndefined();
    expect(await index.list()).toEqual([]);
  });
});
