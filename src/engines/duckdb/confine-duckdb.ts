import type { DuckDBConnection } from "@duckdb/node-api";
import { quotedString } from "./node-api.js";

/** The files and folders a confined DuckDB may open. */
export interface DuckDBAccess {
  readonly directories: readonly string[];
  readonly paths: readonly string[];
}

/** DuckDB settings the sandbox owns: a `duckdb.config` that sets them is refused. */
export const SANDBOX_SETTINGS = ["enable_external_access", "allowed_directories", "allowed_paths", "lock_configuration"] as const;

function list(items: readonly string[]): string {
  return `[${items.map(quotedString).join(", ")}]`;
}

/**
 * Confines a DuckDB instance's file access to `access`, for good: the allowed folders and files are set
 * first (DuckDB refuses to change them once external access is off), then external access is turned off
 * (no other file, no URL, no extension loading), then the configuration is locked, so that no SQL
 * (`SET`, `RESET`) can undo it. The settings are the instance's, whatever connection runs them.
 */
export async function confineDuckDB(connection: DuckDBConnection, access: DuckDBAccess): Promise<void> {
  await connection.run(`SET allowed_directories = ${list(access.directories)}`);
  await connection.run(`SET allowed_paths = ${list(access.paths)}`);
  await connection.run("SET enable_external_access = false");
  await connection.run("SET lock_configuration = true");
}
