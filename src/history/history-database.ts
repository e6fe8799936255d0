import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdb, type DuckDBInstance } from "../engines/duckdb/node-api.js";
import { dirname, resolve } from "node:path";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import { HistoryError } from "./history-errors.js";
import { importOrphanSpools } from "./import-spools.js";
import { reapCrashedRuns } from "./reap-crashed-runs.js";
import { DEFAULT_LOCK_TIMEOUT_MS, retryOnLock } from "./lock-retry.js";
import { applyMigrations, MIGRATIONS, type Migration } from "./migrations.js";
import { withPathMutex } from "./path-mutex.js";
import { makeDirectory } from "../util/make-directory.js";

/** How a history database is accessed. */
export interface HistoryAccessOptions {
  /** How long to wait while other processes hold the database. @default 30000 */
  lockTimeoutMs?: number;
  /** Receives problems that do not stop the access (a spool that could not be imported). @default ignores them */
  warn?: (message: string) => void;
  /** The schema to migrate to; tests pass their own. @default MIGRATIONS */
  migrations?: readonly Migration[];
}

async function openDatabase(path: string): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await duckdb().DuckDBInstance.create(path, {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    threads: "1",
  });
  try {
    return { instance, connection: await instance.connect() };
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}

function asHistoryError(path: string, error: unknown): HistoryError {
  if (error instanceof HistoryError) return error;
  const message = errorMessage(error).trim();
  return new HistoryError(path, `History database ${q(path)} failed: ${message}${/[.!?]$/.test(message) ? "" : "."}`, { cause: error });
}

/**
 * Opens the history database (creating it and its folder if needed), brings its schema up to date,
 * imports the spools of runs whose process died, marks `crashed` the `running` runs whose process is gone
 * ({@link reapCrashedRuns}), runs `fn`, and closes it again. DuckDB lets one process at
 * a time open a file read-write, so the database is held only for the length of `fn`; while another
 * process holds it, the open is retried with jittered backoff for up to `lockTimeoutMs`. Accesses from this
 * process are queued one after another.
 *
 * @throws HistoryError (HistoryLockedError, HistorySchemaTooNewError, or any other failure, as `cause`).
 */
export async function withHistoryDatabase<T>(
  dbPath: string,
  options: HistoryAccessOptions,
  fn: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const path = resolve(dbPath);
  return withPathMutex(path, async () => {
    try {
      await makeDirectory(dirname(path));
      const { instance, connection } = await retryOnLock(path, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, () => openDatabase(path));
      try {
        await applyMigrations(connection, path, options.migrations ?? MIGRATIONS);
        await importOrphanSpools(connection, path, options.warn ?? (() => undefined));
        await reapCrashedRuns(connection).catch((error: unknown) => options.warn?.(`could not mark the crashed runs of the history ${q(path)}: ${errorMessage(error)}`));
        return await fn(connection);
      } finally {
        // Checkpointed first, on DuckDB's thread: closing checkpoints whatever is left, synchronously, on this
        // one (~100 ms for a database just made, while a run goes on).
        await connection.run("CHECKPOINT").catch(() => undefined);
        connection.closeSync();
        instance.closeSync();
      }
    } catch (error) {
      throw asHistoryError(path, error);
    }
  });
}
