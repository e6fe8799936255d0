import { createRequire } from "node:module";
import type * as Api from "@duckdb/node-api";

let api: typeof Api | undefined;

/**
 * DuckDB's node-api, loaded with `require` on first use. The package is CommonJS (181 files) with a native
 * binding; imported from ESM, Node runs its export lexer over every file it re-exports, and even required it
 * costs about 0.2 s. Loaded on first use, a run that never touches DuckDB (all its steps reused, no SQL to
 * parse) never pays it. Types still come from the package itself: `import type { ... } from "@duckdb/node-api"`.
 */
export function duckdb(): typeof Api {
  api ??= createRequire(import.meta.url)("@duckdb/node-api") as typeof Api;
  return api;
}

/** A SQL string literal: what DuckDB's `quotedString` makes (here so that quoting does not load DuckDB). */
export function quotedString(input: string): string {
  return `'${input.replaceAll("'", "''")}'`;
}

/** A SQL identifier, quoted: what DuckDB's `quotedIdentifier` makes (here so that quoting does not load DuckDB). */
export function quotedIdentifier(input: string): string {
  return `"${input.replaceAll('"', '""')}"`;
}

export type DuckDBInstance = Api.DuckDBInstance;
export type DuckDBDataChunk = Api.DuckDBDataChunk;
export type DuckDBTypeId = Api.DuckDBTypeId;
export type StatementType = Api.StatementType;
