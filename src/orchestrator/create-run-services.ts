import { resolve } from "node:path";
import type { CacheIndex } from "../cache/cache-index.js";
import { FileVersions } from "../cache/file-versions.js";
import { FolderCacheIndex } from "../cache/folder-cache-index.js";
import { FolderObjectStore } from "../cache/folder-object-store.js";
import type { ObjectStore } from "../cache/object-store.js";
import type { CheckpointStore } from "../checkpoint/checkpoint-store.js";
import { FolderCheckpointStore } from "../checkpoint/folder-checkpoint-store.js";
import { DuckDBHistoryStore } from "../history/duckdb-history-store.js";
import type { HistoryStore } from "../history/history-store.js";
import { PostgresHistoryStore } from "../history/postgres/postgres-history-store.js";
import { isPostgresUrl } from "../history/postgres/postgres-url.js";
import { BlobCacheIndex } from "../stores/blob-cache-index.js";
import { BlobCheckpointStore } from "../stores/blob-checkpoint-store.js";
import { BlobObjectStore } from "../stores/blob-object-store.js";
import { localStoreFolder, openBlobStore } from "../stores/open-blob-store.js";
import { DEFAULT_CACHE_MAX_BYTES, DEFAULT_PATHS } from "../util/default-paths.js";
import type { CacheStorage, OrchestratorOptions } from "./orchestrator-options.js";

export { DEFAULT_CACHE_MAX_BYTES } from "../util/default-paths.js";

/** The options {@link createRunServices} reads. */
export type RunServicesOptions = Pick<
  OrchestratorOptions,
  "cache" | "cacheDir" | "cacheMaxBytes" | "checkpoint" | "checkpointDir" | "historyDb" | "baseDir" | "executor" | "queue" | "store"
>;

/** The local folder (under `baseDir`) where a distributed run keeps checked copies of its store's objects. */
export const SHARED_OBJECTS_LOCAL_DIR = DEFAULT_PATHS.localCopies;

/**
 * Where a distributed run keeps its cache and checkpoints by default: in its shared store, so that a
 * coordinator on another machine reuses what was computed and `linea resume` finds the run there. In a
 * folder store (a path or `file://`), the folder stores under `<store>/cache` and `<store>/checkpoints`; in
 * an `s3://` store, stores over its objects (`objects/`, the workers' outputs are there too; `cache/keys/`;
 * `checkpoints/`), read through checked local copies under `baseDir`'s {@link SHARED_OBJECTS_LOCAL_DIR}.
 * Source files' hashes stay local, under `baseDir`. Undefined for a run without a queue.
 */
export function sharedStoreDirs(options: Pick<OrchestratorOptions, "queue" | "store">, baseDir: string): { cache: CacheStorage; checkpoints: string | CheckpointStore } | undefined {
  if (options.queue === undefined || options.store === undefined) return undefined;
  const fileVersionsDir = resolve(baseDir, DEFAULT_PATHS.cache, "files");
  const folder = localStoreFolder(options.store, baseDir);
  if (folder === undefined) {
    const blobs = openBlobStore(options.store, baseDir);
    return {
      cache: { objects: new BlobObjectStore(blobs, resolve(baseDir, SHARED_OBJECTS_LOCAL_DIR)), index: new BlobCacheIndex(blobs), fileVersionsDir },
      checkpoints: new BlobCheckpointStore(blobs),
    };
  }
  const cache = resolve(folder, "cache");
  return {
    cache: { objects: new FolderObjectStore(resolve(cache, "objects")), index: new FolderCacheIndex(resolve(cache, "keys")), fileVersionsDir },
    checkpoints: resolve(folder, "checkpoints"),
  };
}

/**
 * The stores a run uses, built once from the options: the one place that knows the default locations and
 * the default implementations. A run that keeps neither cache nor checkpoints has no object store.
 */
export interface RunServices {
  /** Outputs' data (the cache's and the checkpoints'), or undefined when the run keeps neither. */
  readonly objects: ObjectStore | undefined;
  /** Cache keys to stored results, or undefined when the run keeps neither cache nor checkpoints. */
  readonly index: CacheIndex | undefined;
  /** Content hashes of source files, memoised by size and mtime (local to this machine). */
  readonly fileVersions: FileVersions | undefined;
  readonly checkpoints: CheckpointStore | undefined;
  readonly history: HistoryStore | undefined;
  /** Look results up in the cache and keep new ones there (the `cache` option). */
  readonly cache: boolean;
  readonly cacheMaxBytes: number;
}

function isPath(value: unknown): value is string {
  return typeof value === "string";
}

/** The checkpoint store an option names: its folder (resolved against `baseDir`) or the instance itself. */
export function checkpointStoreOf(option: string | CheckpointStore | undefined, baseDir: string): CheckpointStore {
  return option === undefined || isPath(option) ? new FolderCheckpointStore(resolve(baseDir, option ?? DEFAULT_PATHS.checkpoints)) : option;
}

/**
 * The history store an option names: a `postgres://` URL, its DuckDB file (resolved against `baseDir`), or
 * the instance itself.
 */
export function historyStoreOf(option: string | HistoryStore | undefined, baseDir: string): HistoryStore {
  if (option !== undefined && !isPath(option)) return option;
  if (option !== undefined && isPostgresUrl(option)) return new PostgresHistoryStore(option);
  return new DuckDBHistoryStore(resolve(baseDir, option ?? DEFAULT_PATHS.history));
}

/** The cache's stores an option names: its folder (`objects/`, `keys/`, `files/` in it) or the instances. */
export function cacheStorageOf(option: string | CacheStorage | undefined, baseDir: string): Required<CacheStorage> {
  if (option === undefined || isPath(option)) {
    const dir = resolve(baseDir, option ?? DEFAULT_PATHS.cache);
    return { objects: new FolderObjectStore(resolve(dir, "objects")), index: new FolderCacheIndex(resolve(dir, "keys")), fileVersionsDir: resolve(dir, "files") };
  }
  return { ...option, fileVersionsDir: resolve(baseDir, option.fileVersionsDir ?? `${DEFAULT_PATHS.cache}/files`) };
}

/**
 * The composition root: builds a run's stores from the options, every one either from its path (the
 * default under `.linea/` of `baseDir`) or the instance the option gives. Builds nothing on disk.
 */
export function createRunServices(options: RunServicesOptions): RunServices {
  const baseDir = options.baseDir ?? process.cwd();
  const cache = options.cache !== false;
  const shared = sharedStoreDirs(options, baseDir);
  const checkpoints = options.checkpoint === false ? undefined : checkpointStoreOf(options.checkpointDir ?? shared?.checkpoints, baseDir);
  const storage = cache || checkpoints !== undefined ? cacheStorageOf(options.cacheDir ?? shared?.cache, baseDir) : undefined;
  return {
    objects: storage?.objects,
    index: storage?.index,
    fileVersions: storage === undefined ? undefined : new FileVersions(storage.fileVersionsDir),
    checkpoints,
    history: options.historyDb === false ? undefined : historyStoreOf(options.historyDb, baseDir),
    cache,
    cacheMaxBytes: options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES,
  };
}
