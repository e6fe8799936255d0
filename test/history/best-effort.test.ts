import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HistoryLockedError } from "../../src/history/history-errors.js";
import { isLockConflict, lockRetryDelay, retryOnLock } from "../../src/history/lock-retry.js";
import { applyMigrations } from "../../src/history/migrations.js";
import { RunHistory } from "../../src/history/run-history.js";
import { Probe, node } from "../helpers/dag-shapes.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { HistoryBridge } from "./history-bridge.js";
import { withRawDatabase } from "./open-db.js";
import { spawnChild } from "./spawn-child.js";

const LOCK_MESSAGE = 'IO Error: Could not set lock on file "/x/history.duckdb": Conflicting lock is held in /usr/bin/node (PID 1234). See also https://duckdb.org/docs/stable/connect/concurrency';

/** Runs a two-step pipeline, recording it through a bridge on `dbPath`; never throws for history's sake. */
async function recordedRun(dbPath: string, lockTimeoutMs?: number) {
  const bridge = new HistoryBridge({ dbPath, ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}) });
  const probe = new Probe();
  const result = await testOrchestrator({ steps: [node(probe, "a"), node(probe, "b", ["a"])], eventBus: bridge.bus }).execute();
  await bridge.begun;
  await bridge.finish(result);
  return { bridge, result };
}

describe("recording is best-effort", () => {
  it("warns, and never throws, when the database path cannot be written", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const dbPath = join(file, "history.duckdb");
    const { bridge, result } = await recordedRun(dbPath);
    expect(result.status).toBe("success");
    const warnings = bridge.warnings;
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(new RegExp(`^could not spool the events of run "${result.runId}" to "${file}/history-spool/${result.runId}\\.1\\.${process.pid}\\.jsonl": cannot create folder ${file}/history-spool: (ENOTDIR|EEXIST).*\\. They are kept in memory and written to the history when the run finishes\\.$`));
    expect(warnings[1]).toMatch(new RegExp(`^could not record the start of run "${result.runId}" \\(attempt 1\\) in the history: History database "${dbPath}" failed: .+\\. Its spool could not be written either: this part of its history is lost\\.$`));
    expect(warnings[2]).toMatch(new RegExp(`^could not record run "${result.runId}" \\(attempt 1\\) in the history: History database "${dbPath}" failed: .+\\. Its spool could not be written either: this part of its history is lost\\.$`));
  });

  it("warns when the database comes from a newer linea, and keeps the run's record in its finished spool", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    await withRawDatabase(dbPath, async (c) => {
      await applyMigrations(c, dbPath);
      await c.run("INSERT INTO schema_version VALUES (4, 'future', now())");
    });
    const { bridge, result } = await recordedRun(dbPath);
    // The `running` row (a run a second long writes one) is refused; the record itself is written behind.
    expect(bridge.warnings).toHaveLength(1);
    expect(bridge.warnings[0]).toMatch(new RegExp(`^could not record the start of run "${result.runId}" \\(attempt 1\\) in the history: History database "${dbPath}" has schema version 4, newer than the 3 this linea knows: a newer linea wrote it\\.`));
    expect(bridge.recorder?.spoolPath).toMatch(/\.done\.jsonl$/);
    expect(readFileSync(bridge.recorder?.spoolPath ?? "", "utf8")).toContain('"kind":"finish"');
    await expect(new RunHistory(dbPath).runs()).rejects.toThrow(/schema version 4, newer than the 3 this linea knows/);
    expect(existsSync(bridge.recorder?.spoolPath ?? "")).toBe(true);
  });

  it("waits for another process's lock, and records the run once it is released", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const holder = spawnChild("lock-holder-child.ts", [dbPath, "signal"]);
    await holder.line(/locked\n/);
    const bridge = new HistoryBridge({ dbPath, lockTimeoutMs: 20_000 });
    const result = await testOrchestrator({ steps: [node(new Probe(), "a")], eventBus: bridge.bus }).execute();
    // The run is over while the other process still holds the database: its record can only wait.
    holder.process.kill("SIGUSR2");
    expect((await holder.exited()).stdout).toContain("released");
    await bridge.begun;
    await bridge.finish(result);
    expect(bridge.warnings).toEqual([]);
    expect((await new RunHistory(dbPath).runs()).map((r) => [r.runId, r.status])).toEqual([[result.runId, "success"]]);
  }, 60_000);

  it("gives up on the running row after lockTimeoutMs with a warning; the record waits in its spool, and the next open imports it whole", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const holder = spawnChild("lock-holder-child.ts", [dbPath, "60000"]);
    await holder.line(/locked\n/);
    try {
      const { bridge, result } = await recordedRun(dbPath, 300);
      const spool = bridge.recorder?.spoolPath ?? "";
      expect(bridge.warnings).toHaveLength(1);
      expect(bridge.warnings[0]).toMatch(new RegExp(
        `^could not record the start of run "${result.runId}" \\(attempt 1\\) in the history: History database "${dbPath}" stayed locked by another process for \\d+ ms\\. ` +
          "Another linea process was writing it all that time; try again once it is done, or wait longer \\(lockTimeoutMs\\)\\. ",
      ));
      expect(spool).toMatch(/\.done\.jsonl$/);
      expect(existsSync(spool)).toBe(true);
      holder.process.kill("SIGTERM");
      await holder.exited();
      const detail = await new RunHistory(dbPath).run(result.runId);
      expect(detail?.attempts[0]?.summary).toMatchObject({ status: "success", exitCode: 0, counts: { success: 2, cached: 0, failed: 0, skipped: 0 } });
      expect(detail?.attempts[0]?.nodes).toHaveLength(2);
      expect(detail?.attempts[0]?.stepAttempts).toHaveLength(2);
      expect(detail?.attempts[0]?.log).toHaveLength(bridge.events.length);
      expect(detail?.attempts[0]?.snapshot?.status).toBe("success");
      expect(detail?.attempts[0]?.lineage?.execution_id).toBe(result.runId);
      expect(existsSync(spool)).toBe(false);
    } finally {
      holder.process.kill("SIGTERM");
    }
  }, 60_000);
});

describe("retrying on lock conflicts", () => {
  it("recognises DuckDB's lock conflict and nothing else", () => {
    expect(isLockConflict(new Error(LOCK_MESSAGE))).toBe(true);
    expect(isLockConflict(new Error("IO Error: Cannot open file: permission denied"))).toBe(false);
  });

  it("backs off from 10 ms, doubling up to 500 ms, each wait drawn from the upper half", () => {
    expect([1, 2, 3, 6, 7, 20].map((n) => lockRetryDelay(n, () => 1))).toEqual([10, 20, 40, 320, 500, 500]);
    expect([1, 2, 7].map((n) => lockRetryDelay(n, () => 0))).toEqual([5, 10, 250]);
  });

  it("retries while locked, throws other errors at once, and gives up with HistoryLockedError", async () => {
    let calls = 0;
    expect(await retryOnLock("/x/history.duckdb", 5_000, async () => (++calls < 4 ? Promise.reject(new Error(LOCK_MESSAGE)) : "open"))).toBe("open");
    expect(calls).toBe(4);
    const other = new Error("IO Error: disk full");
    calls = 0;
    await expect(retryOnLock("/x/history.duckdb", 5_000, async () => { calls++; throw other; })).rejects.toBe(other);
    expect(calls).toBe(1);
    const error = await retryOnLock("/x/history.duckdb", 100, async () => { throw new Error(LOCK_MESSAGE); }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryLockedError);
    expect(error).toMatchObject({ code: "HISTORY", dbPath: "/x/history.duckdb" });
    expect((error as HistoryLockedError).waitedMs).toBeGreaterThanOrEqual(100);
    expect((error as HistoryLockedError).cause).toEqual(new Error(LOCK_MESSAGE));
    expect((error as Error).message).toBe(
      `History database "/x/history.duckdb" stayed locked by another process for ${(error as HistoryLockedError).waitedMs} ms. ` +
        "Another linea process was writing it all that time; try again once it is done, or wait longer (lockTimeoutMs).",
    );
  });
});
