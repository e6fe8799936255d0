import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdb, quotedIdentifier, type DuckDBInstance } from "./node-api.js";

/** A column of an input as the scratch database re-creates it: name and DuckDB type. */
export interface ScratchColumn {
  readonly name: string;
  readonly type: string;
}

/** A step input to stand in for: an empty table named by the step's local name. */
export interface ScratchTable {
  readonly local: string;
  readonly columns: readonly ScratchColumn[];
}

let instance: Promise<DuckDBInstance> | undefined;
let counter = 0;

/**
 * The process's scratch DuckDB: in memory, one thread, no file or network access. It only ever holds empty
 * tables with the schemas of a step's inputs, so planning a step's SQL there reads no data at all.
 */
function scratchInstance(): Promise<DuckDBInstance> {
  instance ??= duckdb().DuckDBInstance.create(":memory:", {
    threads: "1",
    enable_external_access: "false",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  return instance;
}

/**
 * Runs `work` on a scratch connection whose search path is a fresh schema holding one empty table per
 * input (named by its local name), then drops the schema and closes the connection.
 */
export async function withScratchTables<T>(tables: readonly ScratchTable[], work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await scratchInstance();
  const connection = await db.connect();
  const schema = `lineage_${++counter}`;
  try {
    await connection.run(`CREATE SCHEMA ${quotedIdentifier(schema)}`);
    for (const table of tables) {
      const columns = table.columns.map((c) => `${quotedIdentifier(c.name)} ${c.type}`).join(", ");
      await connection.run(`CREATE TABLE ${quotedIdentifier(schema)}.${quotedIdentifier(table.local)} (${columns})`);
    }
    await connection.run(`SET search_path = ${sqlString(schema)}`);
    return await work(connection);
  } finally {
    try {
      await connection.run(`DROP SCHEMA IF EXISTS ${quotedIdentifier(schema)} CASCADE`);
    } finally {
      connection.closeSync();
    }
  }
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
