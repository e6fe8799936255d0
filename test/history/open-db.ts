// Opens a history database directly, for tests that look under the API or set it up by hand.
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

export async function withRawDatabase<T>(path: string, fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The rows of a query, as JS values. */
export async function rowsOf(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Row counts of every history table (and schema_version). */
export async function tableCounts(path: string): Promise<Record<string, number>> {
  return withRawDatabase(path, async (connection) => {
    const counts: Record<string, number> = {};
    for (const table of ["schema_version", "run_summary", "node_history", "attempt_history", "run_log", "run_snapshot", "run_lineage"]) {
      const [row] = await rowsOf(connection, `SELECT count(*) AS n FROM ${table}`);
      counts[table] = Number(row?.n);
    }
    return counts;
  });
}
