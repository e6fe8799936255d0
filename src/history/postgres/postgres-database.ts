import type { ClientConfig } from "pg";
import { errorMessage } from "../../util/error-message.js";
import { q } from "../../util/quote.js";
import { HistoryError, HistorySchemaTooNewError } from "../history-errors.js";
import { parsePostgresUrl, type PostgresTarget } from "./postgres-url.js";
import { MIGRATIONS } from "../migrations.js";
import { POSTGRES_SCHEMA_VERSION, postgresSchemaStatements } from "./postgres-schema.js";

/** The few things linea asks of a `pg` client (a type, so that `pg` is loaded only when it is used). */
export interface PgClient {
  query(sql: string, values?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** How long connecting may take before the history reports PostgreSQL unreachable. @default 5000 */
export const PG_CONNECT_TIMEOUT_MS = 5000;

/** Type ids whose text `pg` should hand over as it is: json and jsonb (read back as the text written). */
const RAW_TEXT_TYPES = new Set([114, 3802]);

/** A key of the advisory lock that serialises schema creation between coordinators starting at once. */
const SCHEMA_LOCK_KEY = 0x6c696e65; // "line"

const ready = new Map<string, Promise<void>>();

async function connect(target: PostgresTarget, connectTimeoutMs: number) {
  const { default: pg } = await import("pg");
  const config: ClientConfig = {
    connectionString: target.connectionString,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: 60_000,
    options: `-c search_path=${target.schema}`,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        RAW_TEXT_TYPES.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format)) as never,
    },
  };
  const client = new pg.Client(config);
  client.on("error", () => undefined); // a connection dropped while idle: the next query reports it
  await client.connect();
  return client;
}

async function ensureSchema(client: PgClient, target: PostgresTarget): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK_KEY]);
    if (target.schema !== "public") await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
    for (const statement of postgresSchemaStatements()) await client.query(statement);
    const found = Number((await client.query("SELECT coalesce(max(version), 0) AS v FROM schema_version")).rows[0]?.v ?? 0);
    if (found > POSTGRES_SCHEMA_VERSION) throw new HistorySchemaTooNewError(target.display, found, POSTGRES_SCHEMA_VERSION);
    if (found < POSTGRES_SCHEMA_VERSION) {
      for (const migration of MIGRATIONS.filter((m) => m.version > found)) {
        await client.query("INSERT INTO schema_version VALUES ($1, $2, now()) ON CONFLICT DO NOTHING", [migration.version, migration.description]);
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function asHistoryError(target: PostgresTarget | undefined, url: string, error: unknown): HistoryError {
  if (error instanceof HistoryError) return error;
  const where = target?.display ?? "(unparsable URL)";
  const message = errorMessage(error).trim().replace(/\.$/, "");
  const code = (error as { code?: unknown }).code;
  const unreachable = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || /timeout|terminated/i.test(message);
  const fix = unreachable
    ? "Is PostgreSQL running and reachable at that address? Start it, or point historyDb (--history) elsewhere."
    : "Check the URL, the user's rights and the server's log.";
  void url;
  return new HistoryError(where, `History database ${q(where)} (PostgreSQL) failed: ${message}. ${fix}`, { cause: error });
}

/**
 * Connects to the PostgreSQL history at `url` (`postgres://user@host:port/db[?schema=NAME]`), creates its
 * tables on first use (under an advisory lock, so two coordinators starting at once do not race), runs `fn`
 * and disconnects. Unlike the DuckDB file, PostgreSQL takes any number of writers at once: no lock retries.
 *
 * @throws HistoryError naming the server (password masked), for an unreachable server or any failure.
 */
export async function withPostgresHistory<T>(url: string, fn: (client: PgClient) => Promise<T>, connectTimeoutMs = PG_CONNECT_TIMEOUT_MS): Promise<T> {
  let target: PostgresTarget | undefined;
  try {
    target = parsePostgresUrl(url);
    const client = await connect(target, connectTimeoutMs);
    try {
      const key = `${target.connectionString}#${target.schema}`;
      let schema = ready.get(key);
      if (schema === undefined) {
        schema = ensureSchema(client, target);
        ready.set(key, schema);
        schema.catch(() => ready.delete(key));
      }
      await schema;
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    throw asHistoryError(target, url, error);
  }
}

/** Runs `fn` in one transaction on `client`: committed if it resolves, rolled back if not. */
export async function inPgTransaction<T>(client: PgClient, fn: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  await client.query("COMMIT");
  return result;
}
