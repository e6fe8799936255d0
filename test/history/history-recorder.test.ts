import { hostname } from "node:os";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidOptionsError, type OrchestratorOptions, type RunResult, type Step } from "../../src/index.js";
import { HistoryRecorder } from "../../src/history/history-recorder.js";
import { RunHistory } from "../../src/history/run-history.js";
import { runPolicyOf } from "../../src/history/run-policy.js";
import { buildRunSnapshot } from "../../src/history/run-snapshot.js";
import { toJsonSafe } from "../../src/util/json-safe.js";
import { Probe, node } from "../helpers/dag-shapes.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { HistoryBridge } from "./history-bridge.js";
import { tableCounts } from "./open-db.js";

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(toJsonSafe(value)));

/** Runs `steps` with a recorder on `dbPath`, then records its end. */
async function recordRun(dbPath: string, options: Partial<OrchestratorOptions> & Pick<OrchestratorOptions, "steps">, exitCode?: number) {
  const policy = runPolicyOf(options);
  const bridge = new HistoryBridge({ dbPath, policy, pipelinePath: "pipelines/test.ts" });
  const result = await testOrchestrator({ ...options, eventBus: bridge.bus }).execute();
  await bridge.finish(result, exitCode);
  return { bridge, result, policy };
}

/** a; b (fails once, retried); c (always fails); d after c (blocked); e (own layer, independent). */
function mixedSteps(probe: Probe): Step[] {
  return [
    node(probe, "a"),
    node(probe, "b", ["a"], { failTimes: 1 }),
    node(probe, "c", ["a"], { failTimes: Infinity }),
    node(probe, "d", ["c"]),
    { ...node(probe, "e"), layer: "ingest" },
  ];
}

describe("HistoryRecorder and RunHistory", () => {
  it("records a continue-on-error run with retries and a blocked skip in every table, and reads it back", async () => {
    const dbPath = join(tempDir(), "state", "history.duckdb");
    const { bridge, result, policy } = await recordRun(dbPath, {
      name: "mixed", steps: mixedSteps(new Probe()), continueOnError: true, maxWorkers: 2, retry: { maxRetries: 1, delayMs: 1, jitter: 0 },
    });
    expect(bridge.warnings).toEqual([]);
    // Written behind: the finished spool waits for the first reader, which takes it in.
    expect(bridge.recorder?.spoolPath).toMatch(/\.done\.jsonl$/);
    expect(existsSync(bridge.recorder?.spoolPath ?? "")).toBe(true);
    const history = new RunHistory(dbPath);

    const [summary, ...others] = await history.runs();
    expect(others).toEqual([]);
    expect(existsSync(bridge.recorder?.spoolPath ?? "")).toBe(false);
    expect(summary).toEqual({
      runId: result.runId, attempt: 1, pipelineName: "mixed", batchRunId: result.batchRunId, pipelinePath: "pipelines/test.ts",
      status: "failed", startTime: result.startTime, endTime: result.endTime, durationMs: result.durationMs, stepCount: 5,
      counts: { success: 3, cached: 0, failed: 1, skipped: 1 }, exitCode: 1, policy, pid: process.pid, host: hostname(), statusNote: undefined, recordedAt: expect.any(String),
    });
    expect(policy).toMatchObject({ maxWorkers: 2, continueOnError: true, maxRetries: 1, retry: { delayMs: 1, jitter: 0, customRetryOn: false } });

    const detail = await history.run(result.runId);
    expect(detail?.runId).toBe(result.runId);
    expect(detail?.attempts).toHaveLength(1);
    const attempt = detail?.attempts[0];
    expect(attempt?.summary).toEqual(summary);

    // node_history: one row per node, in plan order.
    expect(attempt?.nodes.map((n) => [n.stepName, n.position, n.status, n.attempts])).toEqual([
      ["a", 0, "success", 1], ["b", 1, "success", 2], ["c", 2, "failed", 2], ["d", 3, "skipped", 0], ["e", 4, "success", 1],
    ]);
    expect(result.plan.order).toEqual(["a", "b", "c", "d", "e"]);
    const byName = Object.fromEntries((attempt?.nodes ?? []).map((n) => [n.stepName, n]));
    expect(byName.d).toEqual({
      runId: result.runId, attempt: 1, stepName: "d", position: 3, layer: undefined, status: "skipped", kind: "blocked", blockedBy: "c",
      statusReason: "upstream_failed", attempts: 0, durationMs: 0, startTime: undefined, endTime: undefined, rowCount: undefined,
      outputRows: undefined, cacheKey: undefined, reusedFrom: undefined, error: undefined, errorCode: undefined,
    });
    expect(byName.c).toMatchObject({ status: "failed", error: 'Step "c" failed: c failed on attempt 2', errorCode: "STEP_FAILED", rowCount: undefined });
    expect(byName.e).toMatchObject({ layer: "ingest", rowCount: 1, outputRows: { e: 1 }, startTime: result.nodes.e?.startTime, endTime: result.nodes.e?.endTime });
    expect(byName.b?.durationMs).toBe(result.nodes.b?.durationMs);

    // attempt_history: every attempt, by node in plan order.
    expect(attempt?.stepAttempts.map((a) => [a.stepName, a.attempt, a.outcome, a.error, a.retryDelayMs])).toEqual([
      ["a", 1, "success", undefined, undefined],
      ["b", 1, "failed", 'Step "b" failed: b failed on attempt 1', 1],
      ["b", 2, "success", undefined, undefined],
      ["c", 1, "failed", 'Step "c" failed: c failed on attempt 1', 1],
      ["c", 2, "failed", 'Step "c" failed: c failed on attempt 2', undefined],
      ["e", 1, "success", undefined, undefined],
    ]);
    const logOfB = result.nodes.b?.attemptLog ?? [];
    expect(attempt?.stepAttempts.filter((a) => a.stepName === "b").map((a) => [a.startTime, a.durationMs])).toEqual(logOfB.map((r) => [r.startTime, r.durationMs]));

    // run_log: every event, numbered in emission order, payloads as the observers saw them.
    expect(attempt?.log.map((e) => e.seq)).toEqual(bridge.events.map((_, i) => i + 1));
    expect(attempt?.log.map((e) => e.eventType)).toEqual(bridge.events.map((e) => e.type));
    expect(attempt?.log.map((e) => e.payload)).toEqual(bridge.events.map((e) => json(e.payload)));
    expect(attempt?.log.map((e) => [e.timestamp, e.stepName])).toEqual(
      bridge.events.map((e) => { const p = e.payload as { timestamp: string; stepName?: string }; return [p.timestamp, p.stepName]; }),
    );
    expect(attempt?.log.filter((e) => e.eventType === "node_retry").map((e) => e.stepName)).toEqual(["b", "c"]);

    // run_snapshot and run_lineage: the documents, as JSON.
    expect(attempt?.snapshot).toEqual(json(buildRunSnapshot(result, { exitCode: 1, policy, pipelinePath: "pipelines/test.ts" })));
    expect(attempt?.lineage).toEqual(json(result.tracker.toLineage()));
    expect(attempt?.lineage?.execution_id).toBe(result.runId);

    expect(await tableCounts(dbPath)).toEqual({
      schema_version: 3, run_summary: 1, node_history: 5, attempt_history: 6, run_log: bridge.events.length, run_snapshot: 1, run_lineage: 1,
    });
  });

  it("records a fail-fast run's aborted skips and the exit code it is given", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const probe = new Probe();
    const steps = [node(probe, "a"), node(probe, "b", ["a"], { failTimes: Infinity }), node(probe, "c", ["b"]), node(probe, "x", [], { delayMs: 0 })];
    const { bridge, result } = await recordRun(dbPath, { name: "ff", steps, maxWorkers: 1 }, 3);
    expect(bridge.warnings).toEqual([]);
    const attempt = (await new RunHistory(dbPath).run(result.runId))?.attempts[0];
    expect(attempt?.summary).toMatchObject({ status: "failed", exitCode: 3, counts: { success: 1, cached: 0, failed: 1, skipped: 2 } });
    expect(attempt?.nodes.filter((n) => n.status === "skipped").map((n) => [n.stepName, n.kind, n.statusReason, n.blockedBy])).toEqual([
      ["x", "aborted", "fail_fast_abort", undefined], ["c", "aborted", "fail_fast_abort", undefined],
    ].sort((p, q) => result.plan.order.indexOf(p[0] as string) - result.plan.order.indexOf(q[0] as string)));
    expect(attempt?.snapshot).toMatchObject({
      status: "failed", exit_code: 3,
      counts: { by_status: { success: 1, cached: 0, failed: 1, skipped: 2 }, by_kind: { blocked: 0, aborted: 2 } },
      failure_reasons: [{ step: "b", error: 'Step "b" failed: b failed on attempt 1' }],
    });
  });

  it("records an interrupted run as interrupted", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const probe = new Probe();
    const bridge = new HistoryBridge({ dbPath });
    const controller = new AbortController();
    const steps = [node(probe, "quick"), node(probe, "slow", ["quick"], { delayMs: 10_000 })];
    bridge.bus.registerHook("node_start", (p) => { if (p.stepName === "slow") setTimeout(() => controller.abort(), 20); });
    const result = await testOrchestrator({ steps, eventBus: bridge.bus }).execute({ signal: controller.signal });
    await bridge.finish(result, 130);
    expect(result.interrupted).toBe(true);
    const [row] = await new RunHistory(dbPath).runs();
    expect(row).toMatchObject({ runId: result.runId, status: "interrupted", exitCode: 130 });
    expect((await new RunHistory(dbPath).run(result.runId))?.attempts[0]?.snapshot?.status).toBe("interrupted");
  });

  it("shows a run as running from begin until finish, its events spooled meanwhile", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const bridge = new HistoryBridge({ dbPath });
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const history = new RunHistory(dbPath);
    let during: Awaited<ReturnType<RunHistory["run"]>>;
    let spooled = "";
    const steps: Step[] = [
      { name: "first", outputs: ["first"], run: () => [{ n: 1 }] },
      {
        name: "held", inputs: ["first"], outputs: ["held"], run: async () => {
          await bridge.begun;
          await bridge.recorder?.flush();
          spooled = readFileSync(bridge.recorder?.spoolPath ?? "", "utf8");
          during = await history.run(runIdOf(bridge));
          release();
          await gate;
          return [{ n: 2 }];
        },
      },
    ];
    const result = await testOrchestrator({ steps, eventBus: bridge.bus }).execute();
    await bridge.finish(result);
    expect(during?.attempts[0]?.summary).toMatchObject({
      runId: result.runId, status: "running", startTime: result.startTime, endTime: undefined, counts: undefined, exitCode: undefined, stepCount: undefined,
    });
    // The run's own spool is never imported while its recorder owns it.
    expect(during?.attempts[0]?.log).toEqual([]);
    expect(during?.attempts[0]?.snapshot).toBeUndefined();
    const kinds = spooled.trimEnd().split("\n").map((l) => (JSON.parse(l) as { kind: string; type?: string }));
    expect(kinds.map((k) => k.type ?? k.kind)).toEqual(["header", "begin", "pipeline_start", "node_start", "node_complete", "node_start"]);
    const [after] = await history.runs();
    expect(after).toMatchObject({ status: "success", exitCode: 0 });
  });

  it("keeps every attempt of a resumed run", async () => {
    const dir = tempDir();
    const dbPath = join(dir, "history.duckdb");
    const flag = join(dir, "fail.flag");
    writeFileSync(flag, "");
    const steps: Step[] = [
      { name: "a", outputs: ["a"], sql: "SELECT 1 AS n" },
      { name: "b", inputs: ["a"], outputs: ["b"], run: ({ a }) => { if (existsSync(flag)) throw new Error("not yet"); return a; } },
    ];
    const options = { name: "resumable", steps, baseDir: dir, checkpoint: true } as const;
    const first = new HistoryBridge({ dbPath });
    const failed = await testOrchestrator({ ...options, eventBus: first.bus }).execute();
    await first.finish(failed);
    rmSync(flag);
    const second = new HistoryBridge({ dbPath });
    const resumed = await testOrchestrator({ ...options, eventBus: second.bus }).resume(failed.runId);
    await second.finish(resumed);
    expect([...first.warnings, ...second.warnings]).toEqual([]);
    const detail = await new RunHistory(dbPath).run(failed.runId);
    expect(detail?.attempts.map((a) => [a.summary.attempt, a.summary.status, a.nodes.map((n) => n.status).join(",")])).toEqual([
      [1, "failed", "success,failed"], [2, "success", "cached,success"],
    ]);
    expect(detail?.attempts[1]?.nodes[0]?.reusedFrom).toBe("checkpoint");
    expect(detail?.attempts[1]?.snapshot?.outcomes.a).toMatchObject({ status: "cached", reused_from: "checkpoint" });
    expect((await new RunHistory(dbPath).runs()).map((r) => [r.runId, r.attempt])).toEqual([[failed.runId, 2], [failed.runId, 1]]);
  });

  it("lists runs newest first, by pipeline, status and limit", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const probe = new Probe();
    const results: RunResult[] = [];
    for (const [name, fail] of [["alpha", false], ["beta", true], ["alpha", true], ["alpha", false]] as const) {
      const steps = [node(probe, `s${results.length}`, [], { failTimes: fail ? Infinity : 0 })];
      results.push((await recordRun(dbPath, { name, steps })).result);
    }
    const history = new RunHistory(dbPath);
    const ids = (rows: Array<{ runId: string }>): string[] => rows.map((r) => r.runId);
    const [r0, r1, r2, r3] = results.map((r) => r.runId);
    expect(ids(await history.runs())).toEqual([r3, r2, r1, r0]);
    expect(ids(await history.runs({ pipeline: "alpha" }))).toEqual([r3, r2, r0]);
    expect(ids(await history.runs({ pipeline: "alpha", status: "failed" }))).toEqual([r2]);
    expect(ids(await history.runs({ limit: 2 }))).toEqual([r3, r2]);
    expect(ids(await history.runs({ pipeline: "gamma" }))).toEqual([]);
    expect(await history.run("run-unknown")).toBeUndefined();
  });

  it("reads a history that does not exist as empty, without creating it", async () => {
    const dbPath = join(tempDir(), "none", "history.duckdb");
    const history = new RunHistory(dbPath);
    expect(await history.runs()).toEqual([]);
    expect(await history.run("run-x")).toBeUndefined();
    expect(existsSync(join(dbPath, ".."))).toBe(false);
  });

  it("finishes once: a second finish and events after the first are ignored", async () => {
    const dbPath = join(tempDir(), "history.duckdb");
    const { bridge, result } = await recordRun(dbPath, { steps: [node(new Probe(), "only")] });
    const recorder = bridge.recorder as HistoryRecorder;
    recorder.record("hook_error", { pipelineName: "test", runId: result.runId, batchRunId: "b", timestamp: new Date().toISOString(), hookName: "h", eventType: "node_start", errorMessage: "late" });
    await recorder.finish(result, { exitCode: 9, policy: bridge.policy });
    const [row] = await new RunHistory(dbPath).runs();
    expect(row?.exitCode).toBe(0);
    expect((await tableCounts(dbPath)).run_log).toBe(bridge.events.length);
    expect(bridge.warnings).toEqual([]);
  });

  it("refuses a run id that is not safe as a file name", () => {
    const make = (runId: string): HistoryRecorder => new HistoryRecorder({ dbPath: "h.duckdb", runId, attempt: 1, pipelineName: "p", batchRunId: "b", warn: () => undefined });
    expect(() => make("../escape")).toThrow(InvalidOptionsError);
    expect(() => make("../escape")).toThrow('Expected `runId` to be a run id like "run-20261121T221600Z-3f9a1c2b" (letters, digits, "_", ".", "-"), got "../escape"');
  });
});

function runIdOf(bridge: HistoryBridge): string {
  return (bridge.events[0]?.payload as { runId: string }).runId;
}
