// A PostgreSQL schema of its own for each test, dropped after it: tests never share history tables.
import { randomBytes } from "node:crypto";
import { afterEachFile } from "./cleanup.js";
import { PG_URL } from "./services.js";

const schemas: string[] = [];

afterEachFile(async () => {
  if (PG_URL === undefined || schemas.length === 0) return;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
});

/** `LINEA_TEST_PG_URL` with `?schema=` a fresh schema, dropped when the file's tests are done. */
export function freshPgUrl(): string {
  if (PG_URL === undefined) throw new Error("LINEA_TEST_PG_URL is not set");
  const schema = `linea_test_${randomBytes(5).toString("hex")}`;
  schemas.push(schema);
  const url = new URL(PG_URL);
  url.searchParams.set("schema", schema);
  return url.toString();
}
