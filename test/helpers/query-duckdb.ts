import { DuckDBInstance } from "@duckdb/node-api";

/** Runs one query on a fresh in-memory DuckDB, outside linea: to check what linea wrote. */
export async function queryDuckDB(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
