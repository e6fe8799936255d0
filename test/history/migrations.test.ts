import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LineaError } from "../../src/index.js";
import { withHistoryDatabase } from "../../src/history/history-database.js";
import { HistoryError, HistorySchemaTooNewError } from "../../src/history/history-errors.js";
import { HISTORY_TABLES } from "../../src/history/history-tables.js";
import { applyMigrations, HISTORY_SCHEMA_VERSION, MIGRATIONS, type Migration } from "../../src/history/migrations.js";
import { RunHistory } from "../../src/history/run-history.js";
import { tempDir } from "../helpers/temp-dir.js";
import { rowsOf, tableCounts, withRawDatabase } from "./open-db.js";

const TABLES = ["attempt_history", "node_history", "run_lineage", "run_log", "run_snapshot", "run_summary", "schema_version"];

async function tableNames(path: string): Promise<string[]> {
  return withRawDatabase(path, async (c) => (await rowsOf(c, "SELECT table_name FROM duckdb_tables() ORDER BY table_name")).map((r) => String(r.table_name)));
}

describe("migrations", () => {
  it("builds a fresh database: every table, and schema_version at the latest version", async () => {
    const path = join(tempDir(), "nested", "history.duckdb");
    const outcome = await withHistoryDatabase(path, {}, (c) => applyMigrations(c, path));
    // withHistoryDatabase applied them already: the explicit second call finds nothing to do.
    expect(outcome).toEqual({ from: HISTORY_SCHEMA_VERSION, to: HISTORY_SCHEMA_VERSION, applied: [] });
    expect(await tableNames(path)).toEqual(TABLES);
    const versions = await withRawDatabase(path, (c) => rowsOf(c, "SELECT version, description FROM schema_version ORDER BY version"));
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, description: m.description })));
    expect(HISTORY_SCHEMA_VERSION).toBe(3);
  });

  it("applies every migration on a fresh database, and reopening is a no-op", async () => {
    const path = join(tempDir(), "history.duckdb");
    const first = await withRawDatabase(path, (c) => applyMigrations(c, path));
    expect(first).toEqual({ from: 0, to: 3, applied: [1, 2, 3] });
    const again = await withRawDatabase(path, (c) => applyMigrations(c, path));
    expect(again).toEqual({ from: 3, to: 3, applied: [] });
    expect((await tableCounts(path)).schema_version).toBe(3);
  });

  it("applies only the missing migrations, in order", async () => {
    const path = join(tempDir(), "history.duckdb");
    await withRawDatabase(path, (c) => applyMigrations(c, path));
    const later: Migration[] = [
      ...MIGRATIONS,
      { version: 4, description: "notes", statements: ["CREATE TABLE run_note (run_id VARCHAR, note VARCHAR)"] },
      { version: 5, description: "note time", statements: ["ALTER TABLE run_note ADD COLUMN noted_at TIMESTAMPTZ"] },
    ];
    const outcome = await withRawDatabase(path, (c) => applyMigrations(c, path, later));
    expect(outcome).toEqual({ from: 3, to: 5, applied: [4, 5] });
    const columns = await withRawDatabase(path, (c) => rowsOf(c, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'run_note' ORDER BY column_index"));
    expect(columns.map((r) => r.column_name)).toEqual(["run_id", "note", "noted_at"]);
  });

  it("applies the missing migrations in one transaction: one that fails leaves the database as it was", async () => {
    const path = join(tempDir(), "history.duckdb");
    await withRawDatabase(path, (c) => applyMigrations(c, path));
    const broken: Migration[] = [
      ...MIGRATIONS,
      { version: 4, description: "good", statements: ["CREATE TABLE run_note (run_id VARCHAR)"] },
      { version: 5, description: "bad", statements: ["ALTER TABLE no_such_table ADD COLUMN x INTEGER"] },
    ];
    await expect(withRawDatabase(path, (c) => applyMigrations(c, path, broken))).rejects.toThrow(/no_such_table/);
    expect(await tableNames(path)).toEqual(TABLES);
    expect((await tableCounts(path)).schema_version).toBe(3);
  });

  it("refuses a database from a newer linea, with a HistoryError that says what to do", async () => {
    const path = join(tempDir(), "history.duckdb");
    await withRawDatabase(path, async (c) => {
      await applyMigrations(c, path);
      await c.run("INSERT INTO schema_version VALUES (7, 'from the future', now())");
    });
    const error = await withRawDatabase(path, (c) => applyMigrations(c, path)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistorySchemaTooNewError);
    expect(error).toBeInstanceOf(HistoryError);
    expect(error).toBeInstanceOf(LineaError);
    expect(error).toMatchObject({ code: "HISTORY", dbPath: path, foundVersion: 7, supportedVersion: 3 });
    expect((error as Error).message).toBe(
      `History database "${path}" has schema version 7, newer than the 3 this linea knows: a newer linea wrote it. ` +
        "Upgrade linea, or point historyDb (--history-db) at another file.",
    );
    // Reads refuse it the same way, and nothing is written to it.
    await expect(new RunHistory(path).runs()).rejects.toThrow(HistorySchemaTooNewError);
    expect((await tableCounts(path)).schema_version).toBe(4);
  });

  it("keeps the column lists the writers use equal to the migrated schema", async () => {
    const path = join(tempDir(), "history.duckdb");
    await withRawDatabase(path, (c) => applyMigrations(c, path));
    for (const table of HISTORY_TABLES) {
      const columns = await withRawDatabase(path, (c) =>
        rowsOf(c, `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '${table.name}' ORDER BY column_index`));
      const expected = Object.entries(table.columns).map(([name, type]) => ({ column_name: name, data_type: type === "TIMESTAMPTZ" ? "TIMESTAMP WITH TIME ZONE" : type }));
      expect(columns, table.name).toEqual(expected);
      const key = await withRawDatabase(path, (c) =>
        rowsOf(c, `SELECT constraint_column_names AS cols FROM duckdb_constraints() WHERE table_name = '${table.name}' AND constraint_type = 'PRIMARY KEY'`));
      expect(key[0]?.cols, table.name).toEqual(table.key);
    }
  });

  it("wraps a file that is no database in a HistoryError naming the path, keeping DuckDB's error as the cause", async () => {
    const path = join(tempDir(), "history.duckdb");
    writeFileSync(path, "not a database, just text that happens to be here\n".repeat(100));
    const error = await withHistoryDatabase(path, {}, async () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryError);
    expect((error as HistoryError).message).toMatch(new RegExp(`^History database "${path}" failed: .+`));
    expect((error as HistoryError).cause).toBeInstanceOf(Error);
    expect(readFileSync(path, "utf8")).toMatch(/^not a database/);
  });
});
