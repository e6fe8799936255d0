// The CacheIndex contract over the folder index (the default), the tests' in-memory one, and the index in a
// blob store (S3 served by s3rver, which the test starts, and a shared folder).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FolderCacheIndex, type CacheIndex, type KeyEntry } from "../../src/index.js";
import { INDEX_LOG_DIR } from "../../src/cache/folder-cache-index.js";
import { BlobCacheIndex } from "../../src/stores/blob-cache-index.js";
import { recordLine } from "../../src/util/record-log.js";
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
  const logsOf = (dir: string): string[] => readdirSync(join(dir, INDEX_LOG_DIR)).filter((name) => name.endsWith(".log")).sort();

  it("keeps its entries in an append-only log that another index (another process) reads", async () => {
    const dir = tempDir();
    const writer = new FolderCacheIndex(dir);
    for (const n of [1, 2, 3]) await writer.put(entry(n));
    await writer.touch(entry(2), "2026-03-03T00:00:00.000Z");
    await writer.remove(key(3));
    expect(logsOf(dir)).toHaveLength(1);
    const reader = new FolderCacheIndex(dir);
    expect(await reader.get(key(1))).toEqual(entry(1));
    expect(await reader.get(key(2))).toMatchObject({ hits: 1, lastUsed: "2026-03-03T00:00:00.000Z" });
    expect(await reader.get(key(3))).toBeUndefined();
    // What the writer adds later, the reader sees on its next lookup of many keys.
    await writer.put(entry(4));
    expect([...(await reader.getMany([key(1), key(4)])).keys()].sort()).toEqual([key(1), key(4)].sort());
  });

  it("skips a torn last line and a line whose checksum fails: a miss, never a failure", async () => {
    const dir = tempDir();
    const writer = new FolderCacheIndex(dir);
    await writer.put(entry(1));
    await writer.put(entry(2));
    const log = join(dir, INDEX_LOG_DIR, logsOf(dir)[0] as string);
    const [first, second] = readFileSync(log, "utf8").split("\n");
    writeFileSync(log, `${first}\n${(second as string).replace("step_2", "step_X")}\n{"put": torn`);
    const reader = new FolderCacheIndex(dir);
    expect(await reader.get(key(1))).toEqual(entry(1));
    expect(await reader.get(key(2))).toBeUndefined();
    expect((await reader.list()).map((e) => e.key)).toEqual([key(1)]);
  });

  it("still reads entries of the older layout (a file per key), and counts an unreadable or foreign one as none", async () => {
    const dir = tempDir();
    const folder = (n: number): string => join(dir, key(n).slice(0, 2));
    for (const n of [1, 2, 5]) mkdirSync(folder(n), { recursive: true });
    writeFileSync(join(folder(1), `${key(1)}.json`), "{ torn");
    writeFileSync(join(folder(2), `${key(2)}.json`), JSON.stringify(entry(3))); // another key's entry under this name
    writeFileSync(join(folder(5), `${key(5)}.json`), JSON.stringify(entry(5)));
    const index = new FolderCacheIndex(dir);
    expect(await index.get(key(1))).toBeUndefined();
    expect(await index.get(key(2))).toBeUndefined();
    expect(await index.get(key(5))).toEqual(entry(5));
    expect([...(await index.getMany([key(1), key(5)])).keys()]).toEqual([key(5)]);
    expect((await index.list()).map((e) => e.key)).toEqual([key(5)]);
    await index.touch(entry(5), "2026-04-04T00:00:00.000Z");
    expect(await new FolderCacheIndex(dir).get(key(5))).toMatchObject({ hits: 1, lastUsed: "2026-04-04T00:00:00.000Z" });
    await index.remove(key(5));
    expect(existsSync(join(folder(5), `${key(5)}.json`))).toBe(false);
    expect(await new FolderCacheIndex(dir).get(key(5))).toBeUndefined();
  });

  it("merges the logs of processes that are gone into one, keeping every entry, and moves older entries into it", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, key(9).slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, key(9).slice(0, 2), `${key(9)}.json`), JSON.stringify(entry(9)));
    for (const n of [1, 2, 3, 4]) {
      const index = new FolderCacheIndex(dir);
      await index.put(entry(n));
      if (n === 3) await index.remove(key(1));
      await index.compact(); // one log of its own, the older layout's entry: merged at once
    }
    // Logs of processes that are gone (a pid that is not running), one torn.
    const gone = 2 ** 22 + 12345;
    mkdirSync(join(dir, INDEX_LOG_DIR), { recursive: true });
    writeFileSync(join(dir, INDEX_LOG_DIR, `20260101T000000000Z-${gone}-aa.log`), `${recordLine({ put: entry(5) })}${recordLine({ put: entry(6) })}{"put`);
    writeFileSync(join(dir, INDEX_LOG_DIR, `20260101T000000001Z-${gone}-bb.log`), recordLine({ touch: key(5), hits: 7, lastUsed: "2026-05-05T00:00:00.000Z" }));
    writeFileSync(join(dir, INDEX_LOG_DIR, `20260101T000000002Z-${gone}-cc.log`), recordLine({ remove: key(6) }));
    const index = new FolderCacheIndex(dir);
    await index.put(entry(7));
    await index.compact();
    expect(logsOf(dir)).toHaveLength(1);
    expect(existsSync(join(dir, key(9).slice(0, 2), `${key(9)}.json`))).toBe(false);
    const after = new FolderCacheIndex(dir);
    expect((await after.list()).map((e) => e.step).sort()).toEqual(["step_2", "step_3", "step_4", "step_5", "step_7", "step_9"]);
    expect(await after.get(key(5))).toMatchObject({ hits: 7, lastUsed: "2026-05-05T00:00:00.000Z" });
    // The index that merged writes on, to a new log.
    await index.put(entry(8));
    expect(await new FolderCacheIndex(dir).get(key(8))).toEqual(entry(8));
  });
});
