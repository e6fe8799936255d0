import { maskUrl } from "../../util/mask-url.js";

/** True when a `historyDb` value names a PostgreSQL database rather than a DuckDB file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** A connection URL with its password masked, for messages: secrets never reach logs or history. */
export function redactUrl(url: string): string {
  return maskUrl(url);
}

/** A PostgreSQL history URL split into what `pg` connects to and the schema linea keeps its tables in. */
export interface PostgresTarget {
  /** The URL without linea's own `schema` parameter. */
  readonly connectionString: string;
  /** The schema of the history tables (`?schema=NAME`). @default "public" */
  readonly schema: string;
  /** The URL with its password masked. */
  readonly display: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Reads `postgres://user@host:port/db?schema=NAME`; the schema name must be a plain identifier. */
export function parsePostgresUrl(url: string): PostgresTarget {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? "public";
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`the schema ${JSON.stringify(schema)} is not a plain identifier (letters, digits, "_")`);
  }
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema, display: redactUrl(url) };
}
