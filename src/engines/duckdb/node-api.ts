import { createRequire } from "node:module";
import type * as Api from "@duckdb/node-api";

/**
 * DuckDB's node-api, loaded with `require`. The package is CommonJS (181 files); imported from ESM, Node runs its
 * export lexer over every file it re-exports before the first query, which took longer than loading it (about
 * 0.6 s of a fully cached run's 1.3 s of module loading). Types still come from the package itself:
 * `import type { ... } from "@duckdb/node-api"`.
 */
const api = createRequire(import.meta.url)("@duckdb/node-api") as typeof Api;

export const {
  BIGINT, BLOB, BOOLEAN, DATE, DECIMAL, DOUBLE, DuckDBDataChunk, DuckDBInstance, FLOAT, INTEGER,
  JSDuckDBValueConverter, JSToDuckDBValueConverter, JsonDuckDBValueConverter, LIST, SMALLINT, STRUCT,
  TIMESTAMP, TIMESTAMPTZ, TINYINT, UBIGINT, UINTEGER, USMALLINT, UTINYINT, VARCHAR, quotedIdentifier, quotedString,
} = api;
// Enums, annotated so that declarations name them through the package, not through its bindings' files.
export const StatementType: typeof Api.StatementType = api.StatementType;
export const DuckDBTypeId: typeof Api.DuckDBTypeId = api.DuckDBTypeId;
export type DuckDBInstance = Api.DuckDBInstance;
export type DuckDBDataChunk = Api.DuckDBDataChunk;
export type DuckDBTypeId = Api.DuckDBTypeId;
export type StatementType = Api.StatementType;
