import { describe, expect, it } from "vitest";
import type { NodeResult } from "../../src/index.js";
import { buildPlan, type PlannedPipeline } from "../../src/plan/build-plan.js";
import { schedule, SchedulerStallError } from "../../src/execute/schedule.js";
import { normalizeStep } from "../../src/step/normalize-step.js";
import type { Step } from "../../src/index.js";

const ok: NodeResult = { status: "success", attempts: 1, attemptLog: [], durationMs: 0 };
const failed: NodeResult = { status: "failed", attempts: 1, attemptLog: [], durationMs: 0, error: new Error("x") };

function planned(edges: Record<string, string[]>): PlannedPipeline {
  const steps: Step[] = Object.entries(edges).map(([name, inputs]) => ({ name, inputs, outputs: [name], run: () => [] }));
  return buildPlan(steps.map((s, i) => normalizeStep(s, i)), { pipelineName: "t" });
}

describe("schedule", () => {
  it("starts ready nodes in plan order and each node exactly once", async () => {
    const p = planned({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] });
    const order: string[] = [];
    const results = await schedule(p, { maxWorkers: 1, continueOnError: false }, {
      run: async (i) => (order.push(p.dag.specs[i]?.name ?? "?"), ok),
      skipped: () => { throw new Error("nothing is skipped"); },
    });
    expect(order).toEqual(["a", "b", "c", "d"]);
    expect(results.every((r) => r.status === "success")).toBe(true);
  });

  it("tells of each skip once, blocked nodes in plan order", async () => {
    const p = planned({ a: [], b: ["a"], c: ["b"], d: ["b"], e: [] });
    const skipped: string[] = [];
    const results = await schedule(p, { maxWorkers: 2, continueOnError: true }, {
      run: async (i) => (p.dag.specs[i]?.name === "b" ? failed : ok),
      skipped: (i, r) => skipped.push(`${p.dag.specs[i]?.name}:${r.kind}:${r.blockedBy}`),
    });
    expect(skipped).toEqual(["c:blocked:b", "d:blocked:b"]);
    expect(results.map((r) => r.status)).toEqual(["success", "failed", "skipped", "skipped", "success"]);
  });

  it("records a rejected run callback as a failure of that node", async () => {
    const p = planned({ a: [], b: ["a"] });
    const results = await schedule(p, { maxWorkers: 1, continueOnError: true }, {
      run: async () => { throw new Error("callback broke"); },
      skipped: () => undefined,
    });
    expect(results[0]?.status).toBe("failed");
    expect(results[0]?.error?.message).toBe("callback broke");
    expect(results[1]).toMatchObject({ status: "skipped", kind: "blocked", blockedBy: "a" });
  });

  it("reports every non-empty bucket when nodes can never become ready", async () => {
    const p = planned({ a: [], b: ["a"] });
    // Corrupt the DAG: b waits for an upstream that will never finish.
    const broken: PlannedPipeline = { ...p, dag: { ...p.dag, upstream: [[], [0, 0]] } };
    const run = schedule(broken, { maxWorkers: 1, continueOnError: false }, { run: async () => ok, skipped: () => undefined });
    await expect(run).rejects.toBeInstanceOf(SchedulerStallError);
    await expect(run).rejects.toThrow("Scheduler stalled with nothing running: done: a; pending: b. This is a bug in linea; please report it.");
  });

  it("takes results returned at once: ready nodes start together, then their results are filed; a long chain of them completes", async () => {
    const p = planned({ a: [], b: ["a"], c: [], d: ["b", "c"] });
    const order: string[] = [];
    const results = await schedule(p, { maxWorkers: 2, continueOnError: false }, {
      run: (i) => (order.push(p.dag.specs[i]?.name ?? "?"), ok),
      skipped: () => { throw new Error("nothing is skipped"); },
    });
    // a and c start together (both ready, two workers); then b, released by a; then d.
    expect(order).toEqual(["a", "c", "b", "d"]);
    expect(results.every((r) => r.status === "success")).toBe(true);

    const chain: Record<string, string[]> = { n0: [] };
    for (let i = 1; i < 20_000; i++) chain[`n${i}`] = [`n${i - 1}`];
    const long = planned(chain);
    let runs = 0;
    const ran = await schedule(long, { maxWorkers: 4, continueOnError: false }, { run: () => (runs++, ok), skipped: () => undefined });
    expect(runs).toBe(20_000);
    expect(ran).toHaveLength(20_000);
  });

  it("records a throwing run callback as a failure of that node, and stops (fail-fast) with the others aborted", async () => {
    const p = planned({ a: [], b: ["a"], c: [] });
    const results = await schedule(p, { maxWorkers: 1, continueOnError: false }, {
      run: (i) => {
        if (p.dag.specs[i]?.name === "a") throw new Error("callback broke");
        return ok;
      },
      skipped: () => undefined,
    });
    expect(results[0]).toMatchObject({ status: "failed", error: { message: "callback broke" } });
    expect(results.slice(1).map((r) => `${r.status}:${r.kind}`)).toEqual(["skipped:aborted", "skipped:aborted"]);
  });

  it("finishes at once with no steps", async () => {
    const p = planned({});
    await expect(schedule(p, { maxWorkers: 4, continueOnError: false }, { run: async () => ok, skipped: () => undefined })).resolves.toEqual([]);
  });
});
