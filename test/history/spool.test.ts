import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { databaseName, parseSpoolName, spoolDirOf, spoolPathFor } from "../../src/history/history-paths.js";
import { RunHistory } from "../../src/history/run-history.js";
import { parseSpool } from "../../src/history/spool-line.js";
import { tempDir } from "../helpers/temp-dir.js";
import { rowsOf, tableCounts, withRawDatabase } from "./open-db.js";
import { spawnChild } from "./spawn-child.js";

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

function header(dbPath: string, runId: string, pid: number): string {
  return JSON.stringify({ kind: "header", format: 1, db: databaseName(dbPath), runId, attempt: 1, pipelineName: "orphan", batchRunId: "batch-x", pid, createdAt: "2026-01-01T00:00:00.000Z" });
}

function event(seq: number, type: string, stepName?: string): string {
  const payload = { pipelineName: "orphan", runId: "r", batchRunId: "batch-x", timestamp: `2026-01-01T00:00:0${seq}.000Z`, ...(stepName ? { stepName, layer: null } : {}) };
  return JSON.stringify({ kind: "event", seq, type, payload });
}

describe("spool files", () => {
  it("names spools by run id, attempt and pid, parsed from the right (run ids may hold dots)", () => {
    const path = spoolPathFor("/data/h/history.duckdb", "run.with.dots-1", 2, 4242);
    expect(path).toBe("/data/h/history-spool/run.with.dots-1.2.4242.jsonl");
    expect(parseSpoolName("run.with.dots-1.2.4242.jsonl")).toEqual({ runId: "run.with.dots-1", attempt: 2, pid: 4242, done: false });
    expect(parseSpoolName("run.with.dots-1.2.4242.done.jsonl")).toEqual({ runId: "run.with.dots-1", attempt: 2, pid: 4242, done: true });
    expect(parseSpoolName("notes.txt")).toBeUndefined();
    expect(spoolDirOf("rel/history.duckdb")).toMatch(/\/rel\/history-spool$/);
  });

  it("reads whole lines only: a torn last line and garbage are ignored", () => {
    const text = [header("h.duckdb", "r", 1), '{"kind":"begin","startTime":"2026-01-01T00:00:00.000Z"}', event(1, "pipeline_start"), "not json", event(2, "node_start", "a"), '{"kind":"event","seq":3,"ty'].join("\n");
    const spool = parseSpool(text);
    expect(spool.header?.runId).toBe("r");
    expect(spool.begin?.startTime).toBe("2026-01-01T00:00:00.000Z");
    expect(spool.eventLines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2]);
    expect(spool.firstEvent?.type).toBe("pipeline_start");
    expect(spool.finish).toBeUndefined();
    // A text that ends with a line feed has no torn line: its last line counts.
    expect(parseSpool(`${event(1, "pipeline_start")}\n`).eventLines).toHaveLength(1);
    expect(parseSpool(event(1, "pipeline_start")).eventLines).toHaveLength(0);
  });

  it("imports the spool of a SIGKILLed run on the next open: its log is kept and it is marked crashed", async () => {
    const dbPath = join(tempDir(), "project", ".linea", "history.duckdb");
    const child = spawnChild("spool-child.ts", [dbPath]);
    const [, runId, count] = await child.line(/spooled (\S+) (\d+)\n/);
    child.process.kill("SIGKILL");
    const exit = await child.exited();
    expect(exit.signal).toBe("SIGKILL");
    const pid = child.process.pid as number;
    const spool = spoolPathFor(dbPath, runId as string, 1, pid);
    expect(existsSync(spool)).toBe(true);
    appendFileSync(spool, '{"kind":"event","seq":99,"type":"node_comp'); // a write cut short by the kill

    // begin() had recorded the run as running; its events are only in the spool.
    expect(await tableCounts(dbPath)).toMatchObject({ run_summary: 1, run_log: 0 });

    const detail = await new RunHistory(dbPath).run(runId as string);
    const attempt = detail?.attempts[0];
    expect(attempt?.log).toHaveLength(Number(count));
    // Its end is its last sign of life: the last event spooled.
    expect(attempt?.summary).toMatchObject({ runId, attempt: 1, pipelineName: "doomed", status: "crashed", endTime: attempt?.log.at(-1)?.timestamp, exitCode: undefined, pid, host: hostname() });
    expect(attempt?.summary.statusNote).toMatch(new RegExp(`^its process \\(pid ${pid} on ${hostname()}\\) ended before the run finished; found \\S+Z\\. The end time is its last recorded event\\. \`linea resume\` runs what it left\\.$`));
    expect(attempt?.log.map((e) => [e.eventType, e.stepName])).toEqual([
      ["pipeline_start", undefined], ["node_start", "a"], ["node_complete", "a"], ["node_start", "b"], ["node_complete", "b"], ["node_start", "slow"],
    ]);
    expect(attempt?.log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(attempt?.nodes).toEqual([]);
    expect(existsSync(spool)).toBe(false);
    // Imported once: opening again adds nothing.
    expect((await new RunHistory(dbPath).run(runId as string))?.attempts[0]?.log).toHaveLength(Number(count));
  }, 60_000);

  it("imports a dead process's spool that never reached the database, making its run visible as crashed", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const pid = deadPid();
    const spool = spoolPathFor(dbPath, "run-orphan", 1, pid);
    mkdirSync(spoolDirOf(dbPath), { recursive: true });
    writeFileSync(spool, [header(dbPath, "run-orphan", pid), event(1, "pipeline_start"), event(2, "node_start", "a"), ""].join("\n"));
    const [row] = await new RunHistory(dbPath).runs();
    expect(row).toMatchObject({ runId: "run-orphan", attempt: 1, pipelineName: "orphan", batchRunId: "batch-x", status: "crashed", startTime: "2026-01-01T00:00:01.000Z", endTime: "2026-01-01T00:00:02.000Z", durationMs: 1000, pid });
    expect(await tableCounts(dbPath)).toMatchObject({ run_summary: 1, run_log: 2 });
    expect(readdirSync(spoolDirOf(dbPath))).toEqual([]);
  });

  it("leaves alone the spools of live processes and of another database in the same folder", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "history.duckdb");
    mkdirSync(spoolDirOf(dbPath), { recursive: true });
    const live = spoolPathFor(dbPath, "run-live", 1, process.ppid);
    writeFileSync(live, [header(dbPath, "run-live", process.ppid), event(1, "pipeline_start"), ""].join("\n"));
    const dead = deadPid();
    const other = spoolPathFor(dbPath, "run-other", 1, dead);
    writeFileSync(other, [header(join(dir, "other.duckdb"), "run-other", dead), event(1, "pipeline_start"), ""].join("\n"));
    expect(await new RunHistory(dbPath).runs()).toEqual([]);
    expect(existsSync(live) && existsSync(other)).toBe(true);
    const summaries = await withRawDatabase(dbPath, (c) => rowsOf(c, "SELECT count(*) AS n FROM run_summary"));
    expect(Number(summaries[0]?.n)).toBe(0);
  });
});
