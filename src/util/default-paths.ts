/** The folder, under the base folder (or the CLI's current folder), where linea keeps its state. */
export const LINEA_DIR = ".linea";

/**
 * Where linea keeps the cache, the checkpoints and the run history unless told otherwise: the one place
 * these defaults are spelled (options, CLI and docs refer to them).
 */
export const DEFAULT_PATHS = {
  cache: `${LINEA_DIR}/cache`,
  checkpoints: `${LINEA_DIR}/checkpoints`,
  history: `${LINEA_DIR}/history.duckdb`,
  /** A distributed run's (and a worker's) checked local copies of the shared store's objects. */
  localCopies: `${LINEA_DIR}/worker-cache`,
} as const;

/** The cache's size limit unless told otherwise (`cacheMaxBytes`); a worker's local copies have the same. */
export const DEFAULT_CACHE_MAX_BYTES = 5 * 1024 ** 3;
