// The cache and checkpoint stores over a blob store, as machines share them: what one machine stores another
// reads through its own checked local copy; a corrupted object in the store is removed, never read; a store
// that cannot be reached is an error naming it, never a quiet miss. (The contracts themselves run over these
// stores in test/cache and test/checkpoint.)
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlobCacheIndex } from "../../src/stores/blob-cache-index.js";
import { BlobCheckpointStore } from "../../src/stores/blob-checkpoint-store.js";
import { BlobObjectStore } from "../../src/stores/blob-object-store.js";
import { ObjectStoreError } from "../../src/stores/object-store-error.js";
import { openBlobStore } from "../../src/stores/open-blob-store.js";
import { objectKey } from "../../src/stores/shared-objects.js";
import { startS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("BlobObjectStore on S3 (s3rver)", () => {
  it("what one machine stores, another reads through its own local copy, checked by sha256", async () => {
    const address = (await startS3Server()).address("shared");
    const one = new BlobObjectStore(openBlobStore(address), join(tempDir(), "machine-a"));
    const two = new BlobObjectStore(openBlobStore(address), join(tempDir(), "machine-b"));
    const temp = await one.tempPath("parquet");
    await writeFile(temp, "rows of machine a");
    const object = await one.put(temp, "parquet");
    expect(await one.blobs.has(objectKey(object))).toBe(true);
    expect(two.localDirectories).toEqual([two.local.dir]);
    expect(existsSync(two.local.pathOf(object))).toBe(false);
    const path = await two.localFile(object);
    expect(path).toBe(two.local.pathOf(object));
    expect(readFileSync(path as string, "utf8")).toBe("rows of machine a");
    // A local copy tampered with is fetched again.
    writeFileSync(path as string, "tampered");
    expect(readFileSync((await two.localFile(object)) as string, "utf8")).toBe("rows of machine a");
  });

  it("a corrupted object in the store is removed from it and never read", async () => {
    const blobs = openBlobStore((await startS3Server()).address("corrupt"));
    const store = new BlobObjectStore(blobs, join(tempDir(), "local"));
    const object = { sha256: sha("the real bytes"), format: "parquet" as const, bytes: 14 };
    const bad = join(tempDir(), "bad");
    writeFileSync(bad, "other bytes");
    await blobs.putFile(objectKey(object), bad);
    expect(await store.localFile(object)).toBeUndefined();
    expect(await blobs.has(objectKey(object))).toBe(false);
    expect(existsSync(store.local.pathOf(object))).toBe(false);
  });

  it("a store that cannot be reached is an error naming it, not a miss", async () => {
    const s3 = await startS3Server();
    const address = s3.address("gone");
    const blobs = openBlobStore(address);
    await s3.stop();
    const object = { sha256: sha("x"), format: "parquet" as const, bytes: 1 };
    const named = new RegExp(`Object store ${JSON.stringify(address).replace(/[?.*+()[\]\\/]/g, "\\$&")} \\(S3 storage\\) failed to`);
    await expect(new BlobObjectStore(blobs, join(tempDir(), "local")).localFile(object)).rejects.toThrow(named);
    await expect(new BlobObjectStore(blobs, join(tempDir(), "local")).localFile(object)).rejects.toBeInstanceOf(ObjectStoreError);
    await expect(new BlobCacheIndex(blobs).get("a".repeat(64))).rejects.toThrow(named);
    await expect(new BlobCheckpointStore(blobs).load("run-1")).rejects.toThrow(named);
  });
});
