/**
 * Bytes under keys (`objects/ab/abcd....parquet`, `results/<key>.json`) in storage that every machine of a
 * distributed run can reach: a shared folder or an S3 bucket. Keys are made by linea, never by users:
 * lowercase letters, digits, `/`, `.`, `-`, `_`. Every write is whole or absent (a reader never sees half).
 */
export interface BlobStore {
  /** The store's address as given (`/mnt/shared/linea`, `file:///...`, `s3://bucket/prefix`), for messages. */
  readonly address: string;
  /** What it is, for messages: "shared folder", "S3 storage". */
  readonly kind: string;
  /** Checks that the store can be reached and written; throws ObjectStoreError naming it if not. */
  check(): Promise<void>;
  /** Uploads a local file under `key` (replacing what was there). */
  putFile(key: string, localPath: string): Promise<void>;
  /** Downloads `key` to `localPath` (written whole); false when there is no such key. */
  getFile(key: string, localPath: string): Promise<boolean>;
  /** Stores a small text under `key`. */
  putText(key: string, text: string): Promise<void>;
  /** The text under `key`, or undefined. */
  getText(key: string): Promise<string | undefined>;
  has(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Every key that starts with `prefix`. */
  list(prefix: string): Promise<string[]>;
  /** Every key that starts with `prefix`, with its size and the time it was last written. */
  listEntries(prefix: string): Promise<ListedBlob[]>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** A key as {@link BlobStore.listEntries} lists it. */
export interface ListedBlob {
  readonly key: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

const KEY = /^[a-z0-9][a-z0-9/._-]*$/;

/** Throws for a key linea would never make (a guard: keys become paths in a folder store). */
export function assertBlobKey(key: string): void {
  if (!KEY.test(key) || key.includes("..") || key.includes("//")) throw new Error(`not a store key: ${JSON.stringify(key)}`);
}
