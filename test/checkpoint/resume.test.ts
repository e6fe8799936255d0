import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointNotFoundError, NothingToResumeError, type RunResult, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

const statuses = (result: RunResult): Record<string, string> => Object.fromEntries(Object.entries(result.nodes).map(([k, v]) => [k, v.status]));

/** a -> b (fails while `fail.flag` exists) -> c -> store; d independent. */
function pipeline(dir: string, bVariant = 1): Step[] {
  return [
    { name: "a", outputs: ["a"], sql: "SELECT range AS n FROM range(10)" },
    {
      name: "b", inputs: { a: "a" }, outputs: ["b"], codeVersion: `b-${bVariant}`,
      run: ({ a }) => {
        if (existsSync(join(dir, "fail.flag"))) throw new Error("upstream system unavailable");
        return (a ?? []).map((r) => ({ n: r.n, twice: (r.n as number) * 2 }));
      },
    },
    { name: "c", inputs: { b: "b" }, outputs: ["c"], sql: "SELECT sum(twice) AS total FROM b" },
    { name: "store", inputs: ["c"], write: "out/c.csv" },
    { name: "d", outputs: ["d"], sql: "SELECT 1 AS one" },
  ];
}

function orchestrator(dir: string, options: Record<string, unknown> = {}, steps = pipeline(dir)) {
  return testOrchestrator({ name: "resumable", steps, baseDir: dir, cache: false, checkpoint: true, maxWorkers: 1, ...options });
}

describe("checkpoints and resume", () => {
  it("runs only what did not succeed, under the same run id and the next attempt, with the cache off", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "fail.flag"), "");
    const first = await orchestrator(dir).execute();
    expect(statuses(first)).toEqual({ a: "success", b: "failed", d: "skipped", c: "skipped", store: "skipped" });
    rmSync(join(dir, "fail.flag"));
    const resumed = await orchestrator(dir).resume(first.runId);
    expect(resumed.runId).toBe(first.runId);
    expect(resumed.runAttempt).toBe(2);
    expect(statuses(resumed)).toEqual({ a: "cached", b: "success", d: "success", c: "success", store: "success" });
    expect(resumed.nodes.a?.reusedFrom).toBe("checkpoint");
    expect(readFileSync(join(dir, "out/c.csv"), "utf8")).toBe("total\n90\n");
    const manifest = JSON.parse(readFileSync(join(dir, ".linea/checkpoints", first.runId, "run.json"), "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({ runId: first.runId, attempt: 2, status: "success", pipelineName: "resumable" });
  });

  it("keeps the policy of the run it resumes: a run with the cache off resumes with it off; a resume may change it", async () => {
    const dir = tempDir();
    // A run with the cache on stores its results; then the same steps, cache off, fail at b.
    await orchestrator(dir, { cache: true }).execute();
    writeFileSync(join(dir, "fail.flag"), "");
    const noCache = await orchestrator(dir, { cache: false, continueOnError: true }).execute();
    expect(statuses(noCache)).toMatchObject({ a: "success", b: "failed", d: "success" });
    rmSync(join(dir, "fail.flag"));
    // Resumed by an orchestrator whose options say cache on: the run's own policy (cache off) wins, so b and
    // c run (not reused from the cache), and nothing is stored in the cache.
    const resumed = await orchestrator(dir, { cache: true }).resume(noCache.runId);
    expect(statuses(resumed)).toEqual({ a: "cached", b: "success", d: "cached", c: "success", store: "success" });
    expect(resumed.nodes.a?.reusedFrom).toBe("checkpoint");
    const manifest = JSON.parse(readFileSync(join(dir, ".linea/checkpoints", noCache.runId, "run.json"), "utf8")) as { policy: Record<string, unknown> };
    expect(manifest.policy).toMatchObject({ cache: false, continue_on_error: true, max_workers: 1 });
    // A resume that says cache: true uses the cache.
    writeFileSync(join(dir, "fail.flag"), "");
    const again = await orchestrator(dir, { cache: false }).execute();
    rmSync(join(dir, "fail.flag"));
    const withCache = await orchestrator(dir, { cache: false }).resume(again.runId, { cache: true });
    expect(withCache.nodes.b).toMatchObject({ status: "cached", reusedFrom: "cache" });
  });

  it("keeps what the resumed run kept (persist: \"all\") when the resume does not say", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "fail.flag"), "");
    const first = await orchestrator(dir, { cache: true, persist: "all" }).execute();
    rmSync(join(dir, "fail.flag"));
    const manifestOf = (): { policy: Record<string, unknown>; attempt: number } =>
      JSON.parse(readFileSync(join(dir, ".linea/checkpoints", first.runId, "run.json"), "utf8")) as { policy: Record<string, unknown>; attempt: number };
    expect(manifestOf().policy.persist).toBe("all");
    const resumed = await orchestrator(dir, { cache: true }).resume(first.runId);
    expect(resumed.status).toBe("success");
    expect(manifestOf()).toMatchObject({ attempt: 2, policy: { persist: "all" } });
    // Under "all" every output is kept as data, none as "recompute".
    expect(resumed.persisted.filter((p) => p.kept === "recompute")).toEqual([]);
  });

  it("says so and runs nothing when the run already succeeded", async () => {
    const dir = tempDir();
    const done = await orchestrator(dir).execute();
    expect(done.status).toBe("success");
    const error = await orchestrator(dir).resume(done.runId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NothingToResumeError);
    expect((error as Error).message).toBe(`Nothing to resume in run "${done.runId}": it already succeeded (attempt 1). Run the pipeline again to make a new run.`);
    const manifest = JSON.parse(readFileSync(join(dir, ".linea/checkpoints", done.runId, "run.json"), "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({ attempt: 1, status: "success" });
  });

  it("resumes blocked steps after continue-on-error", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "fail.flag"), "");
    const first = await orchestrator(dir, { continueOnError: true }).execute();
    expect(statuses(first)).toMatchObject({ b: "failed", c: "skipped", d: "success" });
    rmSync(join(dir, "fail.flag"));
    const resumed = await orchestrator(dir, { continueOnError: true }).resume(first.runId);
    expect(statuses(resumed)).toEqual({ a: "cached", b: "success", d: "cached", c: "success", store: "success" });
  });

  it("reruns a succeeded step whose code changed since", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "fail.flag"), "");
    const first = await orchestrator(dir).execute();
    rmSync(join(dir, "fail.flag"));
    const changed = pipeline(dir).map((s): Step => (s.name === "a" ? { name: "a", outputs: ["a"], sql: "SELECT range AS n FROM range(3)" } : s));
    const resumed = await orchestrator(dir, {}, changed).resume(first.runId);
    expect(statuses(resumed)).toMatchObject({ a: "success", b: "success" });
    expect(await resumed.dataMap.get("c")?.toRows()).toEqual([{ total: 6 }]);
  });

  it("refuses an unknown run id and another pipeline's run", async () => {
    const dir = tempDir();
    await expect(orchestrator(dir).resume("run-nope")).rejects.toBeInstanceOf(CheckpointNotFoundError);
    await expect(orchestrator(dir).resume("../../etc")).rejects.toThrow(/^No checkpoint for run "..\/..\/etc" in /);
    const first = await orchestrator(dir).execute();
    await expect(testOrchestrator({ name: "other", steps: pipeline(dir), baseDir: dir, checkpoint: true }).resume(first.runId)).rejects.toThrow(
      `Run "${first.runId}" belongs to pipeline "resumable", not "other". Resume it with that pipeline's orchestrator.`,
    );
  });
});
