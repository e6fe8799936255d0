import type { DuckDBConnection } from "@duckdb/node-api";

/** Runs `fn` in one transaction: committed if it resolves, rolled back (and its error rethrown) if not. */
export async function inTransaction<T>(connection: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await connection.run("BEGIN TRANSACTION");
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => undefined);
    throw error;
  }
  await connection.run("COMMIT");
  return result;
}
