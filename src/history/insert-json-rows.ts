import type { DuckDBConnection } from "@duckdb/node-api";
import { assertNever } from "../util/assert-never.js";
import { jsonSafeStringify } from "./json-safe-stringify.js";
import type { AnyHistoryTable, HistoryColumnType } from "./history-tables.js";

/**
 * What an insert does with a row whose key is already there: replace it, keep it, or (`insert`, for rows
 * known to be new: several times faster than the others, which check every row's key) fail.
 */
export const CONFLICT_ACTIONS = ["replace", "ignore", "insert"] as const;
export type ConflictAction = (typeof CONFLICT_ACTIONS)[number];

/** How `from_json` reads a column: times as text (then cast), JSON kept as JSON. */
function jsonFieldType(type: HistoryColumnType): string {
  switch (type) {
    case "TIMESTAMPTZ":
      return "VARCHAR";
    case "VARCHAR":
    case "INTEGER":
    case "BIGINT":
    case "DOUBLE":
    case "JSON":
      return type;
    default:
      return assertNever(type, "column type");
  }
}

/** Column names are fixed identifiers of the schema, never user input; quoted anyway. */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Columns computed from a row rather than read from its field of the same name. */
export interface DerivedColumns {
  /** Column → SQL expression over `e` (the row's struct) and parameters `$2`, `$3`, ... */
  readonly expressions?: Readonly<Record<string, string>>;
  /** Further fields to read from each row object (name → DuckDB type), for the expressions to use. */
  readonly fields?: Readonly<Record<string, string>>;
  /** A condition over `e` that each row must meet to be inserted. */
  readonly where?: string;
}

/**
 * The statement that inserts the rows of a JSON array (one bound parameter) into `table`. One statement
 * for any number of rows: DuckDB takes milliseconds per prepared single-row insert, this a few microseconds a row.
 */
export function jsonInsertSql(
  table: AnyHistoryTable,
  conflict: ConflictAction,
  derived: DerivedColumns = {},
): string {
  const expressions = derived.expressions ?? {};
  const columns = Object.entries(table.columns);
  const structure = {
    ...Object.fromEntries(columns.filter(([name]) => expressions[name] === undefined).map(([name, type]) => [name, jsonFieldType(type)])),
    ...derived.fields,
  };
  const select = columns.map(([name, type]) => {
    const expression = expressions[name] ?? `e.${ident(name)}`;
    return type === "TIMESTAMPTZ" ? `CAST(${expression} AS TIMESTAMPTZ)` : expression;
  });
  const verb = conflict === "replace" ? "INSERT OR REPLACE" : conflict === "ignore" ? "INSERT OR IGNORE" : "INSERT";
  const structureLiteral = JSON.stringify([structure]).replace(/'/g, "''");
  return `${verb} INTO ${ident(table.name)} (${columns.map(([name]) => ident(name)).join(", ")}) ` +
    `SELECT ${select.join(", ")} FROM (SELECT unnest(from_json($1::JSON, '${structureLiteral}')) AS e)` +
    (derived.where === undefined ? "" : ` WHERE ${derived.where}`);
}

/**
 * Inserts rows given as the text of a JSON array of objects keyed by column name (missing keys are null).
 * `derived` computes columns from other fields, with `parameters` bound as `$2`, `$3`, ...
 */
export async function insertJsonText(
  connection: DuckDBConnection,
  table: AnyHistoryTable,
  jsonArray: string,
  conflict: ConflictAction,
  derived?: DerivedColumns,
  parameters: readonly (string | number)[] = [],
): Promise<void> {
  await connection.run(jsonInsertSql(table, conflict, derived), [jsonArray, ...parameters]);
}

/** Inserts row objects into `table`, made JSON-safe on the way (bigints, NaN, Dates); nothing to do for none. */
export async function insertJsonRows(
  connection: DuckDBConnection,
  table: AnyHistoryTable,
  rows: readonly object[],
  conflict: ConflictAction,
): Promise<void> {
  if (rows.length === 0) return;
  await insertJsonText(connection, table, jsonSafeStringify(rows), conflict);
}
