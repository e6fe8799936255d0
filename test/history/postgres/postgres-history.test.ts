import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventBus, EventPriority, type EventPayloads, type EventType, type RunResult } from "../../../src/index.js";
import { HistoryRecorder } from "../../../src/history/history-recorder.js";
import type { RunDetail } from "../../../src/history/history-rows.js";
import { PostgresHistoryRecorder } from "../../../src/history/postgres/postgres-history-recorder.js";
import { PostgresRunHistory } from "../../../src/history/postgres/postgres-run-history.js";
import { RunHistory } from "../../../src/history/run-history.js";
import { runPolicyOf } from "../../../src/history/run-policy.js";
import type { RunRecorder } from "../../../src/history/run-recorder.js";
import { HistoryError } from "../../../src/history/history-errors.js";
import { linea } from "../../cli/cli-helpers.js";
import { Probe, node } from "../../helpers/dag-shapes.js";
import { freshPgUrl } from "../../helpers/pg-schema.js";
import { describeWithPg } from "../../helpers/services.js";
import { tempDir, testOrchestrator } from "../../helpers/temp-dir.js";
import { spawnChild } from "../spawn-child.js";

/** Feeds one run's events to a DuckDB and a PostgreSQL recorder at once, so both histories hold the same run. */
class TwinRecorders {
  readonly bus = new EventBus();
  readonly warnings: string[] = [];
  recorders: RunRecorder[] = [];
  private readonly policy = runPolicyOf({ continueOnError: true });

  constructor(private readonly dbPath: string, private readonly url: string) {
    this.bus.registerHook("*", (payload, { eventType }) => this.onEvent(eventType, payload), EventPriority.CRITICAL, { name: "twin" });
  }

  private onEvent(type: EventType, payload: EventPayloads[EventType]): void {
    if (type === "pipeline_start") {
      const start = payload as EventPayloads["pipeline_start"];
      const run = { runId: start.runId, attempt: start.runAttempt, pipelineName: start.pipelineName, batchRunId: start.batchRunId, warn: (m: string) => this.warnings.push(m) };
      this.recorders = [new HistoryRecorder({ dbPath: this.dbPath, ...run }), new PostgresHistoryRecorder({ url: this.url, ...run })];
      for (const r of this.recorders) void r.begin({ startTime: start.timestamp, policy: this.policy, pipelinePath: "pipelines/test.ts" });
    }
    for (const r of this.recorders) (r as HistoryRecorder).record(type, payload);
  }

  async finish(result: RunResult): Promise<void> {
    await Promise.all(this.recorders.map((r) => r.finish(result, { exitCode: result.status === "success" ? 0 : 1, policy: this.policy, pipelinePath: "pipelines/test.ts" })));
  }
}

/** When each row was written differs between two histories; everything else must not. */
function withoutRecordedAt(detail: RunDetail | undefined): unknown {
  return detail && { ...detail, attempts: detail.attempts.map((a) => ({ ...a, summary: { ...a.summary, recordedAt: "" } })) };
}

describeWithPg("PostgreSQL history", () => {
  it("holds the same rows, read back the same way, and the CLI prints the same as from the DuckDB history", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "history.duckdb");
    const url = freshPgUrl();
    const twin = new TwinRecorders(dbPath, url);
    const probe = new Probe();
    const steps = [node(probe, "a"), node(probe, "b", ["a"], { failTimes: 1 }), node(probe, "c", ["a"], { failTimes: Infinity }), node(probe, "d", ["c"])];
    const result = await testOrchestrator({ name: "twin", steps, eventBus: twin.bus, continueOnError: true, retry: { maxRetries: 1, delayMs: 1, jitter: 0 } }).execute();
    await twin.finish(result);
    expect(twin.warnings).toEqual([]);

    const fromDuck = await new RunHistory(dbPath).run(result.runId);
    const fromPg = await new PostgresRunHistory(url).run(result.runId);
    expect(fromPg?.attempts[0]?.nodes.map((n) => [n.stepName, n.status, n.attempts])).toEqual([["a", "success", 1], ["b", "success", 2], ["c", "failed", 2], ["d", "skipped", 0]]);
    expect(fromPg?.attempts[0]?.log.length).toBeGreaterThan(8);
    expect(withoutRecordedAt(fromPg)).toEqual(withoutRecordedAt(fromDuck));
    expect((await new PostgresRunHistory(url).runs()).map((r) => ({ ...r, recordedAt: "" })))
      .toEqual((await new RunHistory(dbPath).runs()).map((r) => ({ ...r, recordedAt: "" })));

    for (const argv of [["history"], ["history", result.runId], ["lineage", result.runId]]) {
      const duck = await linea(dir, [...argv, "--history-db", dbPath]);
      const pg = await linea(dir, [...argv, "--history", url]);
      expect(pg.code, pg.err).toBe(0);
      expect(pg.out).toBe(duck.out);
    }
  });

  it("is what a run with historyDb: postgres://... writes, and two processes writing at once lose nothing", async () => {
    const url = freshPgUrl();
    const children = ["one", "two"].map((label) => spawnChild("postgres/pg-writer-child.ts", [url, label, "6"]));
    const exits = await Promise.all(children.map((c) => c.exited()));
    for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
    const runs = exits.flatMap((e) => (JSON.parse(e.stdout) as { runs: Array<{ runId: string; warnings: string[] }> }).runs);
    expect(runs.flatMap((r) => r.warnings)).toEqual([]);
    const history = new PostgresRunHistory(url);
    const rows = await history.runs();
    expect(rows.map((r) => r.runId).sort()).toEqual(runs.map((r) => r.runId).sort());
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row).toMatchObject({ status: "failed", counts: { success: 2, cached: 0, failed: 1, skipped: 1 } });
    for (const run of runs) {
      const attempt = (await history.run(run.runId))?.attempts[0];
      expect(attempt?.nodes.map((n) => n.status)).toEqual(["success", "success", "failed", "skipped"]);
      expect(attempt?.stepAttempts).toHaveLength(5);
      const seqs = attempt?.log.map((e) => e.seq) ?? [];
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(seqs.length).toBeGreaterThan(10);
      expect(attempt?.lineage?.execution_id).toBe(run.runId);
    }
  }, 120_000);
});

describeWithPg("PostgreSQL history while a run goes", () => {
  it("holds the run's events written so far, not only once it ends: a coordinator that dies leaves its log", async () => {
    const url = freshPgUrl();
    const history = new PostgresRunHistory(url);
    const warnings: string[] = [];
    let seenWhileRunning: string[] = [];
    const steps = [
      { name: "first", outputs: ["one"], run: () => [{ n: 1 }] },
      {
        name: "watcher", inputs: ["one"], outputs: ["two"],
        run: async (_inputs: unknown, ctx: { runId: string }) => {
          // Waits (bounded) until the history holds `first`'s completion while this step still runs.
          for (let i = 0; i < 300 && !seenWhileRunning.includes("node_complete:first"); i++) {
            const attempt = (await history.run(ctx.runId))?.attempts[0];
            seenWhileRunning = (attempt?.log ?? []).map((e) => `${e.eventType}:${e.stepName ?? ""}`);
            if (!seenWhileRunning.includes("node_complete:first")) await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return [{ n: 2 }];
        },
      },
    ];
    const result = await testOrchestrator({ name: "pg-live", steps, historyDb: url, logger: { warn: (m) => warnings.push(m) } }).execute();
    expect(result.status).toBe("success");
    expect(warnings).toEqual([]);
    expect(seenWhileRunning).toContain("node_complete:first");
    expect(seenWhileRunning).not.toContain("pipeline_complete:");
    // At the end the log is whole, each event once, in order.
    const seqs = (await history.run(result.runId))?.attempts[0]?.log.map((e) => e.seq) ?? [];
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(6);
  }, 60_000);
});

describe("PostgreSQL history that cannot be reached", () => {
  const url = "postgres://linea:s3cret@127.0.0.1:1/nowhere";

  it("is a warning naming the server (password masked) and the run still succeeds", async () => {
    const warnings: string[] = [];
    const probe = new Probe();
    const result = await testOrchestrator({ steps: [node(probe, "a")], historyDb: url, logger: { warn: (m) => warnings.push(m) } }).execute();
    expect(result.status).toBe("success");
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^could not record the start of run "run-[^"]+" \(attempt 1\) in the history: History database "postgres:\/\/linea:\*\*\*@127\.0\.0\.1:1\/nowhere" \(PostgreSQL\) failed: /);
    expect(warnings[1]).toMatch(/^could not record run "run-[^"]+" \(attempt 1\) in the history: History database "postgres:\/\/linea:\*\*\*@127\.0\.0\.1:1\/nowhere" \(PostgreSQL\) failed: .*Is PostgreSQL running and reachable at that address\?/);
    expect(warnings.join("")).not.toContain("s3cret");
  });

  it("is a HistoryError when read, and the CLI says so without the password", async () => {
    await expect(new PostgresRunHistory(url).runs()).rejects.toBeInstanceOf(HistoryError);
    const cli = await linea(tempDir(), ["history", "--history", url]);
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/^linea: History database "postgres:\/\/linea:\*\*\*@127\.0\.0\.1:1\/nowhere" \(PostgreSQL\) failed: connect ECONNREFUSED 127\.0\.0\.1:1\. Is PostgreSQL running/);
    expect(cli.err).not.toContain("s3cret");
  });
});
