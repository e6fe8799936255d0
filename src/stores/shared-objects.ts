import { rm } from "node:fs/promises";
import { hashFile } from "../cache/fingerprint.js";
import { FolderObjectStore } from "../cache/folder-object-store.js";
import type { StoredFormat, StoredObject } from "../cache/object-store.js";
import { q } from "../util/quote.js";
import type { BlobStore } from "./blob-store.js";
import { ObjectStoreError } from "./object-store-error.js";
import { touchLocalCopy } from "./trim-local-copies.js";

/** The key of a content-addressed object in a shared store: `objects/ab/abcd....parquet`. */
export function objectKey(object: Pick<StoredObject, "sha256" | "format">): string {
  return `objects/${object.sha256.slice(0, 2)}/${object.sha256}.${object.format}`;
}

/**
 * Content-addressed datasets in a shared {@link BlobStore}, with a local pull-through cache: an object is
 * downloaded once per machine, into a local content-addressed folder, and its bytes are checked against
 * its sha256 name when downloaded and again before a cached copy is used. DuckDB then reads the local
 * file (its httpfs extension is not needed, nor always installable).
 */
export class SharedObjects {
  /** The local pull-through cache. */
  readonly local: FolderObjectStore;
  private readonly verified = new Set<string>();

  constructor(readonly blobs: BlobStore, localDir: string) {
    this.local = new FolderObjectStore(localDir);
  }

  /**
   * Stores a finished local file as an object (uploading it unless the store has those bytes already) and
   * keeps it in the local cache too. The file is moved into the local cache: do not use `path` afterwards.
   */
  async put(path: string, format: StoredFormat): Promise<StoredObject> {
    const sha256 = await hashFile(path);
    const object = await this.local.put(path, format, sha256);
    const key = objectKey(object);
    if (!(await this.blobs.has(key))) await this.blobs.putFile(key, this.local.pathOf(object));
    this.verified.add(object.sha256);
    return object;
  }

  /** Uploads an object of the local cache (made by `storeOutput` into {@link local}) unless the store has it. */
  async publish(object: StoredObject): Promise<void> {
    const key = objectKey(object);
    if (!(await this.blobs.has(key))) await this.blobs.putFile(key, this.local.pathOf(object));
    this.verified.add(object.sha256);
  }

  /**
   * The local path of an object: the cached copy if its bytes still match, else downloaded and checked.
   * @throws ObjectStoreError when the object is not in the store, or its bytes do not match its name.
   */
  async fetch(object: StoredObject): Promise<string> {
    const path = this.local.pathOf(object);
    // A copy checked earlier is used if it is still there (a trim of the local cache may have removed it).
    if (this.verified.has(object.sha256) && (await touchLocalCopy(path))) return path;
    this.verified.delete(object.sha256);
    if (await this.local.verify(object)) {
      this.verified.add(object.sha256);
      await touchLocalCopy(path);
      return path;
    }
    const key = objectKey(object);
    const temp = await this.local.tempPath(object.format);
    if (!(await this.blobs.getFile(key, temp))) {
      throw new ObjectStoreError(this.blobs.address, `Object store ${q(this.blobs.address)} has no object ${object.sha256} (${key}). Another run's cleanup removed it, or the stores of the coordinator and the workers differ: give them the same --store.`);
    }
    const sha256 = await hashFile(temp);
    if (sha256 !== object.sha256) {
      await rm(temp, { force: true });
      throw new ObjectStoreError(this.blobs.address, `Object store ${q(this.blobs.address)} holds a corrupted object ${key}: its bytes hash to ${sha256}. Remove it; the step that made it runs again.`);
    }
    await this.local.put(temp, object.format, sha256);
    this.verified.add(object.sha256);
    return path;
  }
}
