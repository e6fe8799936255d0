import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spoolDirOf } from "../../src/history/history-paths.js";
import { RunHistory } from "../../src/history/run-history.js";
import { tempDir } from "../helpers/temp-dir.js";
import { tableCounts } from "./open-db.js";
import { spawnChild } from "./spawn-child.js";

interface WriterReport {
  label: string;
  started: number;
  ended: number;
  runs: Array<{ runId: string; events: number; warnings: string[] }>;
}

// Each writer records two halves of concurrent runs, waiting for the other between them (see writer-child.ts):
// four runs each are enough for every half to overlap the other writer's.
const RUNS_EACH = 4;

describe("two processes writing at once", () => {
  it(`lose no rows: ${RUNS_EACH} runs each, recorded concurrently into one database`, async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const children = ["one", "two"].map((label) => spawnChild("writer-child.ts", [dbPath, label, String(RUNS_EACH)]));
    const exits = await Promise.all(children.map((c) => c.exited()));
    for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
    const reports = exits.map((e) => JSON.parse(e.stdout) as WriterReport);
    const [one, two] = reports as [WriterReport, WriterReport];
    // They overlapped (the writers wait for each other half-way, so this holds on any machine).
    expect(one.started < two.ended && two.started < one.ended).toBe(true);
    const runs = reports.flatMap((r) => r.runs);
    expect(runs.flatMap((r) => r.warnings)).toEqual([]);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(2 * RUNS_EACH);

    const history = new RunHistory(dbPath);
    const rows = await history.runs();
    expect(rows.map((r) => r.runId).sort()).toEqual(runs.map((r) => r.runId).sort());
    expect(rows.filter((r) => r.pipelineName === "writer-one")).toHaveLength(RUNS_EACH);
    for (const row of rows) expect(row).toMatchObject({ status: "failed", exitCode: 1, counts: { success: 2, cached: 0, failed: 1, skipped: 1 } });
    for (const run of runs) {
      const attempt = (await history.run(run.runId))?.attempts[0];
      expect(attempt?.nodes.map((n) => n.status)).toEqual(["success", "success", "failed", "skipped"]);
      expect(attempt?.stepAttempts).toHaveLength(5);
      expect(attempt?.log.map((e) => e.seq)).toEqual(Array.from({ length: run.events }, (_, i) => i + 1));
      expect(attempt?.snapshot?.run_id).toBe(run.runId);
      expect(attempt?.lineage?.execution_id).toBe(run.runId);
    }
    const events = runs.reduce((sum, r) => sum + r.events, 0);
    expect(await tableCounts(dbPath)).toEqual({
      schema_version: 3, run_summary: 2 * RUNS_EACH, node_history: 8 * RUNS_EACH, attempt_history: 10 * RUNS_EACH, run_log: events,
      run_snapshot: 2 * RUNS_EACH, run_lineage: 2 * RUNS_EACH,
    });
    expect(readdirSync(spoolDirOf(dbPath))).toEqual([]);
  }, 300_000);
});
