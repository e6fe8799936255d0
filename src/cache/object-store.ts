import type { Readable } from "node:stream";

/**
 * The formats data is stored in: Parquet (written by DuckDB's COPY), Arrow IPC (for Arrow-held data), or
 * JSON (a value dataset).
 */
export const STORED_FORMATS = ["parquet", "arrow", "json"] as const;
export type StoredFormat = (typeof STORED_FORMATS)[number];

/** A stored object: named by the sha256 of its bytes, which is checked again before it is read. */
export interface StoredObject {
  readonly sha256: string;
  readonly format: StoredFormat;
  readonly bytes: number;
}

/** An object as a store lists it: with the time it was last written (eviction spares young objects). */
export interface ListedObject extends StoredObject {
  readonly mtimeMs: number;
}

/** The name an object's sha256 must have: 64 lowercase hex digits. */
export const OBJECT_NAME = /^[0-9a-f]{64}$/;

/**
 * Content-addressed storage of datasets: an object's name is the sha256 of its bytes, so identical outputs
 * are stored once, and an object is checked against its name before anything reads it. Objects are built in
 * a local scratch file ({@link ObjectStore.tempPath}) and taken in whole by {@link ObjectStore.put}; readers
 * get a checked local file ({@link ObjectStore.localFile}, {@link ObjectStore.getFile}) or a stream.
 *
 * Implementations: `FolderObjectStore` (a folder, the default: `.linea/cache/objects`); the tests' in-memory
 * one. A store on another machine (S3, a shared folder) implements the same methods; engines only ever read
 * local files, so such a store copies objects to local disk in `localFile`.
 */
export interface ObjectStore {
  /** Where the store is, for messages (a folder, a URL). */
  readonly location: string;
  /**
   * Local folders outside the store's own `location` where it puts the files engines open (scratch copies of
   * remote or in-memory objects, {@link tempPath}s): the sandbox lets DuckDB open them. None for a plain folder.
   */
  readonly localDirectories?: readonly string[];
  /** A fresh local scratch path to build an object in, before {@link put} takes it. */
  tempPath(format: StoredFormat): Promise<string>;
  /**
   * Takes a finished local file into the store (the file is consumed: moved, or uploaded and removed); an
   * object with the same bytes already there is kept. `knownSha256`: the bytes' hash when the caller has
   * just computed it.
   */
  put(localPath: string, format: StoredFormat, knownSha256?: string): Promise<StoredObject>;
  /** True when the object is there (its bytes are not checked: see {@link verify}). */
  has(object: StoredObject): Promise<boolean>;
  /** True when the object is there and its bytes still hash to its name. A corrupted object is removed. */
  verify(object: StoredObject): Promise<boolean>;
  /**
   * A local file holding the object's checked bytes, for engines to read (the object itself for a local
   * store, a checked copy for a remote one). Undefined when the object is missing or corrupted.
   */
  localFile(object: StoredObject): Promise<string | undefined>;
  /** Copies the object's checked bytes into `destination`. @throws when it is missing or corrupted. */
  getFile(object: StoredObject, destination: string): Promise<void>;
  /** The object's bytes as a stream (not checked while streaming; {@link verify} first when it matters). */
  getStream(object: StoredObject): Promise<Readable>;
  /** Every object in the store (for eviction). */
  list(): Promise<ListedObject[]>;
  remove(object: Pick<StoredObject, "sha256" | "format">): Promise<void>;
  /** Removes scratch files older than `olderThanMs`: leftovers of writers that crashed. */
  sweepTemp(olderThanMs: number): Promise<void>;
}
