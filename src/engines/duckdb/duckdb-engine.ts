import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdb, type DuckDBInstance } from "./node-api.js";
import type { EngineInstance, EngineSession } from "../engine.js";
import { confineDuckDB, type DuckDBAccess } from "./confine-duckdb.js";
import { DuckRun } from "./duck-run.js";

/** How linea opens DuckDB. */
export interface DuckDBEngineOptions {
  /** A database file, or `:memory:` (the default). */
  path?: string;
  /** Worker threads of DuckDB; DuckDB's default is the number of cores. */
  threads?: number;
  /** e.g. `"4GB"`; DuckDB's default is 80% of RAM. */
  memoryLimit?: string;
  /** Where DuckDB spills larger-than-memory work. */
  tempDirectory?: string;
  /** Further DuckDB settings, passed as given (except the sandbox's own: file access is set by `allowPaths`). */
  config?: Readonly<Record<string, string>>;
}

/**
 * One DuckDB instance and a pool of its connections. Extension autoinstall and autoload are off: linea
 * uses only the extensions built into the binary (parquet, json, icu), and never reaches the network.
 * Opened with `access`, the instance can open only those files and folders, for good (see {@link confineDuckDB}).
 */
export class DuckDBEngine implements EngineInstance {
  private readonly idle: DuckDBConnection[] = [];
  private closed = false;

  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(options: DuckDBEngineOptions = {}, access?: DuckDBAccess): Promise<DuckDBEngine> {
    const config: Record<string, string> = {
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
      ...options.config,
    };
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    if (options.tempDirectory !== undefined) config.temp_directory = options.tempDirectory;
    const instance = await duckdb().DuckDBInstance.create(options.path ?? ":memory:", config);
    if (access !== undefined) {
      try {
        const connection = await instance.connect();
        try {
          await confineDuckDB(connection, access);
        } finally {
          connection.closeSync();
        }
      } catch (error) {
        instance.closeSync();
        throw error;
      }
    }
    return new DuckDBEngine(instance);
  }

  /** A connection of the caller's own; hand it back with {@link release} (or close it). */
  async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error("DuckDB engine is closed");
    return this.idle.pop() ?? this.instance.connect();
  }

  /**
   * Returns a connection to the pool. Pass `reusable: false` for one that holds connection state
   * (temporary views of a step), which is closed instead.
   */
  release(connection: DuckDBConnection, reusable = true): void {
    if (this.closed || !reusable) connection.closeSync();
    else this.idle.push(connection);
  }

  /** Runs `fn` on a pooled connection. `fn` must leave no connection state behind. */
  async withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await fn(connection);
    } finally {
      this.release(connection);
    }
  }

  /** A run's session: a schema of its own holding the run's tables, dropped when the run is disposed. */
  async openRun(): Promise<EngineSession> {
    const run = await DuckRun.create(this);
    return { value: run, dispose: () => run.dispose() };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }
}
