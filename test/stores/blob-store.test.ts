import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/stores/blob-store.js";
import { FolderBlobStore } from "../../src/stores/folder-blob-store.js";
import { ObjectStoreError } from "../../src/stores/object-store-error.js";
import { openBlobStore } from "../../src/stores/open-blob-store.js";
import { parseS3Address } from "../../src/stores/s3-blob-store.js";
import { objectKey, SharedObjects } from "../../src/stores/shared-objects.js";
import { startS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/temp-dir.js";

/** The same contract over every kind of store. */
const KINDS: Array<[string, () => Promise<BlobStore>]> = [
  ["a shared folder (path)", async () => {
    const dir = tempDir();
    return openBlobStore(dir);
  }],
  ["a shared folder (file://)", async () => openBlobStore(pathToFileURL(tempDir()).toString())],
  ["S3 storage (s3rver)", async () => openBlobStore((await startS3Server()).address(`p${Math.random().toString(16).slice(2, 8)}`))],
];

describe.each(KINDS)("BlobStore on %s", (_name, make) => {
  it("stores files and texts under keys, lists and removes them, and tells a missing key", async () => {
    const store = await make();
    try {
      await store.check();
      const local = join(tempDir(), "a.bin");
      writeFileSync(local, "hello bytes");
      await store.putFile("objects/ab/one.parquet", local);
      await store.putText("results/k1.json", '{"a":1}');
      expect(await store.has("objects/ab/one.parquet")).toBe(true);
      expect(await store.has("objects/ab/two.parquet")).toBe(false);
      const back = join(tempDir(), "nested", "b.bin");
      expect(await store.getFile("objects/ab/one.parquet", back)).toBe(true);
      expect(readFileSync(back, "utf8")).toBe("hello bytes");
      expect(await store.getFile("objects/ab/two.parquet", join(tempDir(), "c.bin"))).toBe(false);
      expect(await store.getText("results/k1.json")).toBe('{"a":1}');
      expect(await store.getText("results/none.json")).toBeUndefined();
      expect(await store.list("objects/")).toEqual(["objects/ab/one.parquet"]);
      expect(await store.list("results/")).toEqual(["results/k1.json"]);
      await store.remove("results/k1.json");
      expect(await store.list("results/")).toEqual([]);
      await expect(store.putText("../escape", "x")).rejects.toThrow(/not a store key/);
    } finally {
      await store.close();
    }
  });

  it("keeps objects by content through a local pull-through cache checked by sha256", async () => {
    const store = await make();
    try {
      const writer = new SharedObjects(store, join(tempDir(), "writer-cache"));
      const file = join(tempDir(), "out.parquet");
      writeFileSync(file, "some parquet bytes");
      const object = await writer.put(file, "parquet");
      expect(object).toEqual({ sha256: createHash("sha256").update("some parquet bytes").digest("hex"), format: "parquet", bytes: 18 });
      expect(await store.has(objectKey(object))).toBe(true);

      const reader = new SharedObjects(store, join(tempDir(), "reader-cache"));
      const path = await reader.fetch(object);
      expect(readFileSync(path, "utf8")).toBe("some parquet bytes");
      // A corrupted local copy is noticed and fetched again.
      const again = new SharedObjects(store, join(path, "..", "..", ".."));
      writeFileSync(path, "tampered");
      expect(readFileSync(await again.fetch(object), "utf8")).toBe("some parquet bytes");
      // A corrupted object in the store is refused.
      const bad = join(tempDir(), "bad.bin");
      writeFileSync(bad, "other bytes");
      await store.putFile(objectKey(object), bad);
      const fresh = new SharedObjects(store, join(tempDir(), "fresh-cache"));
      await expect(fresh.fetch(object)).rejects.toThrow(new RegExp(`holds a corrupted object ${objectKey(object)}: its bytes hash to [0-9a-f]{64}\\. Remove it`));
      await expect(fresh.fetch({ ...object, sha256: "0".repeat(64) })).rejects.toThrow(/has no object 0{64}/);
    } finally {
      await store.close();
    }
  });
});

describe("object store addresses and failures", () => {
  it("reads s3:// addresses without credentials in them", () => {
    expect(parseS3Address("s3://bucket/some/prefix?endpoint=http%3A%2F%2F127.0.0.1%3A9000")).toEqual({
      bucket: "bucket", prefix: "some/prefix/", endpoint: "http://127.0.0.1:9000", region: process.env.AWS_REGION ?? "us-east-1", forcePathStyle: true,
    });
    expect(() => openBlobStore("s3://key:secret@bucket/p")).toThrow(/credentials do not belong in the store address/);
    expect(() => openBlobStore("ftp://host/x")).toThrow('Object store "ftp://host/x" is not an address linea can use: only s3://, file:// and folder paths are supported. Give a folder path, file:///path or s3://bucket/prefix.');
  });

  it("names an unreachable S3 server, within seconds, never hanging", async () => {
    const store = openBlobStore("s3://linea/p?endpoint=http%3A%2F%2F127.0.0.1%3A1");
    const error = await store.check().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect((error as Error).message).toMatch(/^Object store "s3:\/\/linea\/p\?endpoint=[^"]+" \(S3 storage\) failed to open: .*ECONNREFUSED.*\. Is the S3 storage running and reachable from this machine\?/);
    await store.close();
  });

  it("names a shared folder that is not there", async () => {
    const missing = join(tempDir(), "not-mounted");
    const store = new FolderBlobStore(missing);
    await expect(store.check()).rejects.toThrow(new RegExp(`^Object store "${missing.replace(/[/.]/g, "\\$&")}" \\(shared folder\\) failed to open: ENOENT`));
    mkdirSync(missing);
    await store.check();
  });
});
