import { createReadStream } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { hashFile } from "../cache/fingerprint.js";
import { FolderObjectStore } from "../cache/folder-object-store.js";
import { OBJECT_NAME, type ListedObject, type ObjectStore, type StoredFormat, type StoredObject } from "../cache/object-store.js";
import type { BlobStore } from "./blob-store.js";
import { objectKey } from "./shared-objects.js";
import { touchLocalCopy } from "./trim-local-copies.js";

/** The prefix of content-addressed objects in a blob store (the workers' outputs are there too). */
const OBJECTS = "objects/";

/**
 * The {@link ObjectStore} in a {@link BlobStore} (S3, or a shared folder): objects under
 * `objects/ab/abcd....parquet`, the very keys the workers store their outputs under, so an output a worker
 * stored is not stored twice. Engines read local files only: an object is copied into a local
 * content-addressed folder (`localDir`, a pull-through cache, also where new objects are built) and its bytes
 * are checked against its sha256 name there, before anything reads it. A remote object whose bytes do not
 * match its name is removed from the store, never read. Writes are whole or absent (each blob store's
 * writes are). A store that cannot be reached is an `ObjectStoreError` naming it, never a quiet miss.
 */
export class BlobObjectStore implements ObjectStore {
  /** The local copies, checked by sha256. */
  readonly local: FolderObjectStore;
  readonly localDirectories: readonly string[];

  constructor(readonly blobs: BlobStore, localDir: string) {
    this.local = new FolderObjectStore(localDir);
    this.localDirectories = [this.local.dir];
  }

  get location(): string {
    return this.blobs.address;
  }

  tempPath(format: StoredFormat): Promise<string> {
    return this.local.tempPath(format);
  }

  async put(localPath: string, format: StoredFormat, knownSha256?: string): Promise<StoredObject> {
    const sha256 = knownSha256 ?? (await hashFile(localPath).catch(async (error: unknown) => {
      await rm(localPath, { force: true });
      throw error;
    }));
    const object = await this.local.put(localPath, format, sha256);
    const key = objectKey(object);
    if (!(await this.blobs.has(key))) await this.blobs.putFile(key, this.local.pathOf(object));
    return object;
  }

  has(object: StoredObject): Promise<boolean> {
    return this.blobs.has(objectKey(object));
  }

  async verify(object: StoredObject): Promise<boolean> {
    return (await this.localFile(object)) !== undefined;
  }

  /**
   * The checked local copy: the one already here if its bytes still match (and the store still has the
   * object), else downloaded and checked. A corrupted remote object is removed from the store.
   */
  async localFile(object: StoredObject): Promise<string | undefined> {
    const key = objectKey(object);
    if (!(await this.blobs.has(key))) {
      await this.local.remove(object);
      return undefined;
    }
    if (await this.local.verify(object)) {
      await touchLocalCopy(this.local.pathOf(object));
      return this.local.pathOf(object);
    }
    const temp = await this.local.tempPath(object.format);
    try {
      if (!(await this.blobs.getFile(key, temp))) return undefined;
      const sha256 = await hashFile(temp);
      if (sha256 !== object.sha256) {
        await this.blobs.remove(key);
        return undefined;
      }
      await this.local.put(temp, object.format, sha256);
      return this.local.pathOf(object);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async getFile(object: StoredObject, destination: string): Promise<void> {
    const path = await this.localFile(object);
    if (path === undefined) throw new Error(`stored object ${object.sha256} is missing or corrupted in ${this.blobs.address}`);
    await mkdir(dirname(resolve(destination)), { recursive: true });
    await copyFile(path, destination);
  }

  async getStream(object: StoredObject): Promise<Readable> {
    const path = await this.localFile(object);
    if (path === undefined) throw new Error(`stored object ${object.sha256} is missing in ${this.blobs.address}`);
    return createReadStream(path);
  }

  async list(): Promise<ListedObject[]> {
    const found: ListedObject[] = [];
    for (const blob of await this.blobs.listEntries(OBJECTS)) {
      const match = /^objects\/[0-9a-f]{2}\/([0-9a-f]{64})\.(parquet|arrow|json)$/.exec(blob.key);
      if (match && OBJECT_NAME.test(match[1] as string)) found.push({ sha256: match[1] as string, format: match[2] as StoredFormat, bytes: blob.bytes, mtimeMs: blob.mtimeMs });
    }
    return found;
  }

  async remove(object: Pick<StoredObject, "sha256" | "format">): Promise<void> {
    await this.blobs.remove(objectKey(object));
    await this.local.remove(object);
  }

  sweepTemp(olderThanMs: number): Promise<void> {
    return this.local.sweepTemp(olderThanMs);
  }
}
