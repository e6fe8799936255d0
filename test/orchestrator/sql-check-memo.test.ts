// SQL bodies that passed the engine's check are remembered in the cache folder, so that a run whose SQL did
// not change does not open DuckDB to parse it again; a body that fails is checked (and refused) every time.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StepDefinitionError } from "../../src/index.js";
import { SqlCheckMemo } from "../../src/orchestrator/sql-check-memo.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

const GOOD = { name: "good", outputs: ["g"], sql: "SELECT 1 AS n" };
const BAD = { name: "bad", outputs: ["b"], sql: "SELECT 1; SELECT 2" };

describe("the memo of passed SQL checks", () => {
  it("keeps the passes in the cache folder, never a failure, and forgets nothing it was not told", async () => {
    const dir = tempDir("linea-sqlmemo-");
    const memoPath = join(dir, ".linea/cache/checked-sql.json");
    await testOrchestrator({ baseDir: dir, cache: true, steps: [GOOD] }).validate();
    expect(existsSync(memoPath)).toBe(false); // planning leaves nothing behind; a run remembers
    await testOrchestrator({ baseDir: dir, cache: true, steps: [GOOD] }).execute();
    const kept = JSON.parse(readFileSync(memoPath, "utf8")) as { format: number; passed: string[] };
    expect(kept.format).toBe(1);
    expect(kept.passed).toHaveLength(1);
    await expect(testOrchestrator({ baseDir: dir, cache: true, steps: [GOOD, BAD] }).validate()).rejects.toBeInstanceOf(StepDefinitionError);
    await expect(testOrchestrator({ baseDir: dir, cache: true, steps: [GOOD, BAD] }).validate()).rejects.toThrow(/exactly one SELECT query, found 2 statements/);
    expect((JSON.parse(readFileSync(memoPath, "utf8")) as { passed: string[] }).passed).toEqual(kept.passed);
  });

  it("is what decides: a body remembered as passed is not parsed again (a forged entry shows it), and a changed body is", async () => {
    const dir = tempDir("linea-sqlmemo-");
    const memo = new SqlCheckMemo(join(dir, ".linea/cache/checked-sql.json"));
    const version = (await import("../../src/engines/duckdb/duckdb.js")).duckdb.version();
    await memo.add([SqlCheckMemo.keyOf("duckdb", version, BAD.sql)]);
    await expect(testOrchestrator({ baseDir: dir, cache: true, steps: [BAD] }).validate()).resolves.toBeDefined();
    await expect(testOrchestrator({ baseDir: dir, cache: true, steps: [{ ...BAD, sql: `${BAD.sql} ` }] }).validate()).rejects.toBeInstanceOf(StepDefinitionError);
  });

  it("is not kept without a cache, and a memo that cannot be read is as if empty", async () => {
    const dir = tempDir("linea-sqlmemo-");
    await testOrchestrator({ baseDir: dir, cache: false, steps: [GOOD] }).execute();
    expect(existsSync(join(dir, ".linea/cache/checked-sql.json"))).toBe(false);
    const memoPath = join(dir, ".linea/cache/checked-sql.json");
    await testOrchestrator({ baseDir: dir, cache: true, steps: [GOOD] }).execute();
    writeFileSync(memoPath, "{ torn");
    await expect(testOrchestrator({ baseDir: dir, cache: true, steps: [BAD] }).execute()).rejects.toBeInstanceOf(StepDefinitionError);
    await testOrchestrator({ baseDir: dir, cache: true, steps: [GOOD] }).execute();
    expect((JSON.parse(readFileSync(memoPath, "utf8")) as { passed: string[] }).passed).toHaveLength(1);
  });
});
