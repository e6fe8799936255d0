// The ObjectStore contract, run over every implementation: the folder store (the default), the tests'
// in-memory one, and the store over a blob store (S3 served by s3rver, which the test starts, and a shared
// folder). A new store joins the list and must pass the same cases.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FolderObjectStore, type ObjectStore } from "../../src/index.js";
import { BlobObjectStore } from "../../src/stores/blob-object-store.js";
import { FolderBlobStore } from "../../src/stores/folder-blob-store.js";
import { openBlobStore } from "../../src/stores/open-blob-store.js";
import { objectKey } from "../../src/stores/shared-objects.js";
import { MemoryObjectStore } from "../helpers/memory-stores.js";
import { startS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

let s3: Awaited<ReturnType<typeof startS3Server>>;
beforeAll(async () => {
  s3 = await startS3Server();
});

/** A store over a blob store, its local copies in a fresh folder; corrupting an object corrupts it there and in the store. */
function blobObjects(blobs: BlobObjectStore["blobs"]): BlobObjectStore & { corruptFor: (hash: string) => void } {
  const store = new BlobObjectStore(blobs, join(tempDir(), "local"));
  return Object.assign(store, {
    corruptFor: (hash: string) => {
      const object = { sha256: hash, format: "parquet" as const };
      const path = join(tempDir(), "flipped");
      writeFileSync(path, "flipped");
      writeFileSync(store.local.pathOf(object), "flipped");
      corrupting.push(blobs.putFile(objectKey(object), path));
    },
  });
}
/** Uploads of corrupted bytes under way (corruptFor is synchronous): awaited before the store is read. */
const corrupting: Array<Promise<void>> = [];

const IMPLEMENTATIONS: Array<{ name: string; make: () => ObjectStore & { corruptFor?: (hash: string) => void } }> = [
  {
    name: "FolderObjectStore",
    make: () => {
      const store = new FolderObjectStore(join(tempDir(), "objects"));
      return Object.assign(store, { corruptFor: (hash: string) => writeFileSync(store.pathOf({ sha256: hash, format: "parquet" }), "flipped") });
    },
  },
  {
    name: "MemoryObjectStore",
    make: () => {
      const store = new MemoryObjectStore();
      return Object.assign(store, { corruptFor: (hash: string) => store.corrupt(hash) });
    },
  },
  { name: "BlobObjectStore on S3 (s3rver)", make: () => blobObjects(openBlobStore(s3.address(`o${Math.random().toString(16).slice(2, 8)}`))) },
  { name: "BlobObjectStore on a shared folder", make: () => blobObjects(new FolderBlobStore(tempDir())) },
];

async function putText(store: ObjectStore, text: string): Promise<ReturnType<ObjectStore["put"]>> {
  const temp = await store.tempPath("parquet");
  await writeFile(temp, text);
  return store.put(temp, "parquet");
}

describe.each(IMPLEMENTATIONS)("ObjectStore contract: $name", ({ make }) => {
  it("names an object by the sha256 of its bytes and takes the scratch file in", async () => {
    const store = make();
    const temp = await store.tempPath("parquet");
    await writeFile(temp, "hello");
    const object = await store.put(temp, "parquet");
    expect(object).toEqual({ sha256: sha("hello"), format: "parquet", bytes: 5 });
    expect(existsSync(temp)).toBe(false);
    expect(await store.has(object)).toBe(true);
    expect(await store.verify(object)).toBe(true);
  });

  it("stores identical bytes once", async () => {
    const store = make();
    const a = await putText(store, "same");
    const b = await putText(store, "same");
    expect(b).toEqual(a);
    expect((await store.list()).filter((o) => o.sha256 === a.sha256)).toHaveLength(1);
  });

  it("gives the checked bytes back as a local file, into a file, and as a stream", async () => {
    const store = make();
    const object = await putText(store, "some rows");
    const local = await store.localFile(object);
    expect(local && readFileSync(local, "utf8")).toBe("some rows");
    const copy = join(tempDir(), "copy.parquet");
    await store.getFile(object, copy);
    expect(readFileSync(copy, "utf8")).toBe("some rows");
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream(object)) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString("utf8")).toBe("some rows");
  });

  it("finds a corrupted object out, removes it and never hands it out", async () => {
    const store = make();
    const object = await putText(store, "precious");
    store.corruptFor?.(object.sha256);
    await Promise.all(corrupting.splice(0));
    expect(await store.localFile(object)).toBeUndefined();
    expect(await store.verify(object)).toBe(false);
    expect(await store.has(object)).toBe(false);
    await expect(store.getFile(object, join(tempDir(), "x"))).rejects.toThrow(object.sha256);
  });

  it("answers for an object it never had: not there, no file", async () => {
    const store = make();
    const ghost = { sha256: sha("ghost"), format: "parquet" as const, bytes: 5 };
    expect(await store.has(ghost)).toBe(false);
    expect(await store.verify(ghost)).toBe(false);
    expect(await store.localFile(ghost)).toBeUndefined();
    await expect(store.getStream(ghost)).rejects.toThrow(ghost.sha256);
  });

  it("lists every object with its size and removes one", async () => {
    const store = make();
    const a = await putText(store, "a");
    const b = await putText(store, "bb");
    expect((await store.list()).map((o) => [o.sha256, o.bytes]).sort()).toEqual([[a.sha256, 1], [b.sha256, 2]].sort());
    await store.remove(a);
    expect((await store.list()).map((o) => o.sha256)).toEqual([b.sha256]);
    expect(await store.has(a)).toBe(false);
  });

  it("keeps the object and drops the scratch file when the bytes are already there", async () => {
    const store = make();
    await putText(store, "once");
    const temp = await store.tempPath("arrow");
    await writeFile(temp, "once");
    await store.put(temp, "arrow");
    expect(existsSync(temp)).toBe(false);
  });
});

describe("FolderObjectStore", () => {
  it("refuses a name that is not a sha256, so no name becomes a path", () => {
    const store = new FolderObjectStore(tempDir());
    expect(() => store.pathOf({ sha256: "../../etc/passwd", format: "parquet" })).toThrow('not an object name: "../../etc/passwd"');
  });

  it("sweeps only scratch files older than asked", async () => {
    const store = new FolderObjectStore(tempDir());
    const temp = await store.tempPath("parquet");
    await writeFile(temp, "left behind");
    await store.sweepTemp(60 * 60_000);
    expect(existsSync(temp)).toBe(true);
    await store.sweepTemp(-1);
    expect(existsSync(temp)).toBe(false);
  });
});
