import type { DuckDBConnection } from "@duckdb/node-api";

/** What DuckDB's parser makes of a text: `json_serialize_sql` parses without binding (no table need exist). */
interface Serialized {
  readonly error: boolean;
  readonly error_type?: string;
  readonly error_message?: string;
  readonly statements?: readonly unknown[];
}

const ONE_SELECT =
  "a sql step's result is its output, so it holds one SELECT (or WITH ... SELECT, FROM ..., VALUES ...) over its inputs; " +
  "INSERT, CREATE, SET, INSTALL, LOAD, ATTACH, COPY, PRAGMA and other statements are refused";

/**
 * Why a `sql` body is not exactly one SELECT query, or undefined when it is (or when DuckDB cannot parse
 * it: the syntax error is left to the run, which reports DuckDB's own message). Uses DuckDB's parser
 * (`json_serialize_sql`, which serializes SELECT statements only, and says so for any other statement),
 * never a pattern over the SQL text.
 */
export async function sqlBodyProblem(connection: DuckDBConnection, sql: string): Promise<string | undefined> {
  const reader = await connection.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR) AS parsed", [sql]);
  const parsed = JSON.parse(String(reader.getRowObjectsJS()[0]?.parsed)) as Serialized;
  if (parsed.error) {
    if (/only SELECT statements/i.test(parsed.error_message ?? "")) return `\`sql\` must be exactly one SELECT query, found a statement that is not a query: ${ONE_SELECT}`;
    return undefined;
  }
  const count = parsed.statements?.length ?? 0;
  if (count === 1) return undefined;
  const found = count === 0 ? "no statement (only blanks or comments)" : `${count} statements`;
  return `\`sql\` must be exactly one SELECT query, found ${found}: ${ONE_SELECT}`;
}
