// A run whose process died is shown as `crashed` as soon as linea can tell: its process (recorded with the
// run: pid, host, start time) is gone from this host. Real child processes run `linea run` and are SIGKILLed
// at a deterministic point (their last step waits forever, once the history holds what the test waits for).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { withHistoryDatabase } from "../../src/history/history-database.js";
import { spoolDirOf } from "../../src/history/history-paths.js";
import { PostgresHistoryStore } from "../../src/history/postgres/postgres-history-store.js";
import { currentOwner, ownerGone, processStartToken } from "../../src/history/process-owner.js";
import { reapCrashedRuns } from "../../src/history/reap-crashed-runs.js";
import { runningSummary } from "../../src/history/run-record.js";
import { RunHistory } from "../../src/history/run-history.js";
import { writeRunningSummary } from "../../src/history/write-run-record.js";
import { linea } from "../cli/cli-helpers.js";
import { rowsOf, withRawDatabase } from "./open-db.js";
import { freshPgUrl } from "../helpers/pg-schema.js";
import { describeWithPg } from "../helpers/services.js";
import { ROOT, tempDir } from "../helpers/temp-dir.js";

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

/** A project whose pipeline's last step, under LINEA_TEST_HANG=1, prints `waiting` and never ends. */
function project(): string {
  const dir = tempDir("linea-crashed-");
  writeFileSync(join(dir, "pipeline.ts"), `
export const name = "crashing";
export const steps = [
  { name: "a", outputs: ["a"], run: () => [{ n: 1 }, { n: 2 }] },
  { name: "b", inputs: ["a"], outputs: ["b"], run: ({ a }: { a: unknown[] }) => a },
  { name: "wait", inputs: ["b"], outputs: ["c"], run: async ({ b }: { b: unknown[] }) => {
    if (process.env.LINEA_TEST_HANG === "1") {
      process.stdout.write("waiting\\n");
      await new Promise(() => setInterval(() => undefined, 1000));
    }
    return b;
  } },
];
`);
  return dir;
}

/** Waits (polling, without a deadline of its own) until `ready` says so. */
async function until(ready: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Runs `linea run pipeline.ts` in a child, and SIGKILLs it once its last step waits and `ready` says so. */
async function killedRun(dir: string, args: readonly string[], ready: () => boolean | Promise<boolean>): Promise<number> {
  const child = spawn(process.execPath, ["--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, join(ROOT, "test/cli/linea-from-src.ts"), "run", "pipeline.ts", ...args], {
    cwd: dir, env: { ...process.env, LINEA_TEST_HANG: "1" }, stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  let gone = false;
  void exited.then(() => (gone = true));
  await until(() => {
    if (gone) throw new Error(`the child exited before its last step: ${out}${err}`);
    return out.includes("waiting\n");
  });
  await until(ready);
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  return child.pid as number;
}

/** The spool of the one run in `dir`'s history, once it holds the start of step `wait`. */
function spoolHoldsWait(dir: string): boolean {
  const spools = spoolDirOf(join(dir, ".linea/history.duckdb"));
  if (!existsSync(spools)) return false;
  return readdirSync(spools).some((file) => readFileSync(join(spools, file), "utf8").includes('"stepName":"wait"'));
}

const NOTE = (pid: number) => new RegExp(
  `^its process \\(pid ${pid} on ${hostname()}\\) ended before the run finished; found \\S+Z\\. The end time is its last recorded event\\. \`linea resume\` runs what it left\\.$`,
);

describe("process owners", () => {
  it("tells a process by its pid, host and start time: a reused pid is not the owner", () => {
    const me = currentOwner();
    expect(me).toEqual({ pid: process.pid, host: hostname(), processStart: processStartToken(process.pid) });
    expect(me.processStart).toMatch(/^[0-9a-f-]+:\d+$/); // Linux: boot id and start ticks
    expect(processStartToken(process.ppid)).not.toBe(me.processStart);
    expect(processStartToken(deadPid())).toBeUndefined();
    expect(ownerGone(me)).toBe(false);
    expect(ownerGone({ pid: deadPid(), host: hostname() })).toBe(true);
    // The parent is alive; recorded with another start time, its pid now belongs to someone else.
    expect(ownerGone({ pid: process.ppid, host: hostname(), processStart: processStartToken(process.ppid) })).toBe(false);
    expect(ownerGone({ pid: process.ppid, host: hostname(), processStart: "another-boot:1" })).toBe(true);
    expect(ownerGone({ pid: process.pid, host: hostname(), processStart: "another-boot:1" })).toBe(true);
    // Other hosts' processes, and owners of unknown host, are never taken for gone.
    expect(ownerGone({ pid: deadPid(), host: "elsewhere.example" })).toBe(false);
    expect(ownerGone({ pid: deadPid() })).toBe(false);
  });

  it("marks crashed only the running runs of this host whose process is gone", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const dead = deadPid();
    const live = { pid: process.ppid, host: hostname(), processStart: processStartToken(process.ppid) };
    const rows = [
      ["run-dead", { pid: dead, host: hostname() }],
      ["run-reused", { ...live, processStart: "another-boot:1" }],
      ["run-live", live],
      ["run-other-host", { pid: dead, host: "elsewhere.example" }],
      ["run-old", { pid: dead }],
    ] as const;
    await withHistoryDatabase(dbPath, {}, async (connection) => {
      for (const [runId, owner] of rows) {
        const summary = runningSummary({ runId, attempt: 1, pipelineName: "p", batchRunId: "b" }, { startTime: "2026-01-01T00:00:00.000Z", pid: owner.pid, owner });
        await writeRunningSummary(connection, summary);
      }
    });
    // Opening the history for a read marks them (the write above was done before its own open's check).
    const found = await new RunHistory(dbPath).runs();
    const statuses = Object.fromEntries(found.map((r) => [r.runId, r.status]));
    expect(statuses).toEqual({ "run-dead": "crashed", "run-reused": "crashed", "run-live": "running", "run-other-host": "running", "run-old": "running" });
    const crashed = found.find((r) => r.runId === "run-dead");
    expect(crashed).toMatchObject({ endTime: "2026-01-01T00:00:00.000Z", durationMs: 0, host: hostname() });
    expect(crashed?.statusNote).toMatch(NOTE(dead));
    // Once marked, nothing more to do.
    expect(await withHistoryDatabase(dbPath, {}, (connection) => reapCrashedRuns(connection))).toBe(0);
  });

  it("shows a SIGKILLed `linea run` as crashed once the next run starts or `linea history` looks, and `linea resume` finishes it", async () => {
    const dir = project();
    const pid = await killedRun(dir, [], () => spoolHoldsWait(dir));
    // The next run marks it, before anyone reads the history (read raw here, without a reader's own marking);
    // its own record is written behind, in its finished spool, for the next reader.
    const next = await linea(dir, ["run", "pipeline.ts", "--quiet"]);
    expect(next.code, next.err).toBe(0);
    const raw = await withRawDatabase(join(dir, ".linea/history.duckdb"), (c) => rowsOf(c, "SELECT status FROM run_summary ORDER BY start_time"));
    expect(raw.map((r) => r.status)).toEqual(["crashed"]);
    expect(readdirSync(spoolDirOf(join(dir, ".linea/history.duckdb"))).filter((f) => f.endsWith(".done.jsonl"))).toHaveLength(1);

    const list = await linea(dir, ["history"]);
    expect(list.code).toBe(0);
    const line = list.out.split("\n").find((l) => l.includes(" crashed "));
    expect(line).toMatch(/^run-\S+\s+1\s+crashing\s+crashed\s/);
    const runId = (line ?? "").split(/\s+/)[0] as string;
    const detail = await linea(dir, ["history", runId]);
    expect(detail.out).toContain("attempt 1: crashed");
    expect(detail.out).toContain(`its process (pid ${pid} on ${hostname()}) ended before the run finished`);
    const summary = (await new RunHistory(join(dir, ".linea/history.duckdb")).runs()).find((r) => r.runId === runId);
    expect(summary).toMatchObject({ runId, status: "crashed", pid, host: hostname() });
    expect(Date.parse(summary?.endTime ?? "")).toBeGreaterThanOrEqual(Date.parse(summary?.startTime ?? ""));

    const resumed = await linea(dir, ["resume", runId, "--quiet"]);
    expect(resumed.code, resumed.err).toBe(0);
    const attempts = (await new RunHistory(join(dir, ".linea/history.duckdb")).run(runId))?.attempts.map((a) => a.summary.status);
    expect(attempts).toEqual(["crashed", "success"]);
  }, 120_000);

  it("keeps the start of a run before its first step runs: one killed at once is still in the history", async () => {
    const dir = project();
    const pid = await killedRun(dir, [], () => true);
    const list = await linea(dir, ["history", "--json"]);
    expect(list.code, list.err).toBe(0);
    const runs = JSON.parse(list.out) as Array<{ status: string; pid: number }>;
    expect(runs).toMatchObject([{ status: "crashed", pid }]);
  }, 120_000);

});

describeWithPg("crashed runs in a PostgreSQL history", () => {
  it("marks a SIGKILLed run crashed when the history is read, and on importOrphans", async () => {
    const url = freshPgUrl();
    const history = new PostgresHistoryStore(url);
    const dir = project();
    const { default: pg } = await import("pg");
    const statusIn = async (): Promise<string[]> => {
      const client = new pg.Client({ connectionString: url.replace(/\?.*$/, "") });
      await client.connect();
      try {
        const schema = new URL(url).searchParams.get("schema");
        const exists = (await client.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'run_summary'", [schema])).rows.length > 0;
        if (!exists) return [];
        return (await client.query(`SELECT status FROM "${schema}".run_summary`)).rows.map((r: { status: string }) => r.status);
      } finally {
        await client.end();
      }
    };
    // The running row is written as the run begins: the child dies once it is there.
    const pid = await killedRun(dir, ["--history", url], async () => (await statusIn()).includes("running"));
    expect(await statusIn()).toEqual(["running"]);
    await history.importOrphans();
    expect(await statusIn()).toEqual(["crashed"]);
    const [row] = await history.runs();
    expect(row).toMatchObject({ status: "crashed", pid, host: hostname() });
    expect(row?.statusNote).toMatch(NOTE(pid));
  }, 120_000);

  it("has the running row before the first step runs: a run killed at once is found and marked", async () => {
    const url = freshPgUrl();
    const dir = project();
    const pid = await killedRun(dir, ["--history", url], () => true);
    const history = new PostgresHistoryStore(url);
    const [row] = await history.runs();
    expect(row).toMatchObject({ status: "crashed", pid });
  }, 120_000);

  it("marks on read, too, and leaves other hosts' runs running", async () => {
    const url = freshPgUrl();
    const history = new PostgresHistoryStore(url);
    await history.runs(); // builds the schema
    const { withPostgresHistory } = await import("../../src/history/postgres/postgres-database.js");
    const { writePgRunningSummary } = await import("../../src/history/postgres/write-postgres-record.js");
    const dead = deadPid();
    await withPostgresHistory(url, async (client) => {
      for (const [runId, host] of [["run-here", hostname()], ["run-there", "elsewhere.example"]] as const) {
        await writePgRunningSummary(client, runningSummary({ runId, attempt: 1, pipelineName: "p", batchRunId: "b" }, { startTime: "2026-01-01T00:00:00.000Z", pid: dead, owner: { pid: dead, host } }), false);
      }
    });
    const statuses = Object.fromEntries((await history.runs()).map((r) => [r.runId, r.status]));
    expect(statuses).toEqual({ "run-here": "crashed", "run-there": "running" });
    expect((await history.run("run-here"))?.attempts[0]?.summary.endTime).toBe("2026-01-01T00:00:00.000Z");
  }, 60_000);
});
