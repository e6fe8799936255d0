import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BlobStore } from "./blob-store.js";
import { FolderBlobStore } from "./folder-blob-store.js";
import { ObjectStoreError } from "./object-store-error.js";
import { S3BlobStore } from "./s3-blob-store.js";

/** The folder a `store` address names on this machine (a path, relative to `baseDir`, or `file://`); undefined for `s3://`. */
export function localStoreFolder(address: string, baseDir: string = process.cwd()): string | undefined {
  if (address.startsWith("file://")) return fileURLToPath(address);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) return undefined;
  return isAbsolute(address) ? address : resolve(baseDir, address);
}

/**
 * The store a `--store` / `store` value names: `s3://bucket/prefix[?endpoint=...]`, `file:///path`, or a
 * folder path (relative to `baseDir`). Nothing is contacted yet: `check()` does that.
 * @throws ObjectStoreError for an address of another kind.
 */
export function openBlobStore(address: string, baseDir: string = process.cwd()): BlobStore {
  try {
    if (address.startsWith("s3://")) return new S3BlobStore(address);
    if (address.startsWith("file://")) return new FolderBlobStore(fileURLToPath(address), address);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) throw new Error("only s3://, file:// and folder paths are supported");
    return new FolderBlobStore(isAbsolute(address) ? address : resolve(baseDir, address), address);
  } catch (error) {
    throw new ObjectStoreError(address, `Object store ${JSON.stringify(address)} is not an address linea can use: ${(error as Error).message}. Give a folder path, file:///path or s3://bucket/prefix.`, { cause: error });
  }
}
