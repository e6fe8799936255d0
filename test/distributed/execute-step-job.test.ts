// What a worker does with one job, without the queue: inputs fetched from the shared store, the step run,
// its outputs stored in the shared store before the result says so, and nothing unredacted in the result.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { objectKey, SharedObjects } from "../../src/stores/shared-objects.js";
import { DuckDBEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { executeStepJob, type StepHost } from "../../src/distributed/execute-step-job.js";
import type { StepJob } from "../../src/distributed/step-job.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import { normalizeStep } from "../../src/step/normalize-step.js";
import { openBlobStore } from "../../src/stores/open-blob-store.js";
import type { Step } from "../../src/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const engines: DuckDBEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

function host(dir: string, steps: Step[]): StepHost {
  const specs = steps.map((step, index) => normalizeStep(step, index));
  const engine = DuckDBEngine.open();
  void engine.then((e) => engines.push(e));
  mkdirSync(join(dir, "store"), { recursive: true });
  return {
    planned: buildPlan(specs, { pipelineName: "p", sources: [] }),
    engine: () => engine,
    objects: new SharedObjects(openBlobStore(join(dir, "store")), join(dir, "worker-cache")),
    baseDir: dir,
  };
}

function job(step: { index: number; name: string }, extra: Partial<StepJob> = {}): StepJob {
  return {
    format: 2, runId: "r", runAttempt: 1, pipelineName: "p", fingerprint: "f", lineaVersion: "v", step, try: 1, params: {},
    timeoutMs: undefined, inputs: {}, redact: ["email"], sampleRows: 5, ...extra,
  };
}

describe("executeStepJob (a worker's handling of one job)", () => {
  it("stores outputs in the shared store before reporting them, with samples and snapshots redacted on the worker", async () => {
    const dir = tempDir("linea-job-");
    const steps: Step[] = [
      { name: "people", outputs: ["people"], run: () => [{ id: 1, email: "a@example.com" }, { id: 2, email: "b@example.com" }] } as Step,
      { name: "count", inputs: { p: "people" }, outputs: ["counted"], sql: "SELECT count(*)::INTEGER AS n, min(email) AS email FROM p", checks: [{ kind: "not_null", column: "n" }] } as Step,
    ];
    const h = host(dir, steps);
    const first = await executeStepJob(job({ index: 0, name: "people" }), h, new AbortController().signal);
    expect(first.outcome, first.error?.message).toBe("success");
    const people = first.outputs.people;
    if (people?.kind !== "stored" || people.stored.data.kind !== "object") throw new Error("expected a stored output");
    expect(existsSync(join(dir, "store", objectKey(people.stored.data.object)))).toBe(true);
    expect(JSON.stringify(first)).not.toContain("example.com");
    expect(first.snapshots?.people?.sample).toEqual([{ id: 1, email: "[redacted]" }, { id: 2, email: "[redacted]" }]);

    // The next step, on a worker with an empty local cache: its input comes from the shared store (checked by sha256).
    const other = host(join(dir, "other"), steps);
    const objects = new SharedObjects(openBlobStore(join(dir, "store")), join(dir, "other", "worker-cache"));
    const second = await executeStepJob(job({ index: 1, name: "count" }, { inputs: { p: { dataset: "people", stored: people.stored } } }), { ...other, objects }, new AbortController().signal);
    expect(second.outcome, second.error?.message).toBe("success");
    expect(second.rowCounts).toEqual({ counted: 1 });
    expect(second.checks.map((c) => [c.name, c.status])).toEqual([["not_null(n)", "pass"]]);
    expect(second.snapshots?.counted?.sample).toEqual([{ n: 2, email: "[redacted]" }]);
    expect(JSON.stringify(second)).not.toContain("example.com");
  });

  it("a small output held as rows travels inline in the result (no object), and the next worker reads it checked", async () => {
    const dir = tempDir("linea-job-");
    const steps: Step[] = [
      { name: "nums", outputs: ["nums"], run: () => [{ id: 1, v: 2.5 }, { id: 2, v: null }] } as Step,
      { name: "total", inputs: { n: "nums" }, outputs: ["total"], sql: "SELECT count(*)::INTEGER AS n, sum(v) AS s FROM n" } as Step,
    ];
    const first = await executeStepJob(job({ index: 0, name: "nums" }), host(dir, steps), new AbortController().signal);
    expect(first.outcome, first.error?.message).toBe("success");
    const nums = first.outputs.nums;
    if (nums?.kind !== "stored" || nums.stored.data.kind !== "inline") throw new Error("expected an inline output");
    expect(nums.stored.data.value).toEqual([{ id: 1, v: 2.5 }, { id: 2, v: null }]);
    const other = host(join(dir, "other"), steps);
    const second = await executeStepJob(job({ index: 1, name: "total" }, { inputs: { n: { dataset: "nums", stored: nums.stored } } }), other, new AbortController().signal);
    expect(second.outcome, second.error?.message).toBe("success");
    expect(second.snapshots?.total?.sample).toEqual([{ n: 2, s: 2.5 }]);
    // Tampered inline data is refused, never read.
    const tampered = { ...nums.stored, data: { ...nums.stored.data, value: [{ id: 1, v: 3.5 }, { id: 2, v: null }] } };
    const third = await executeStepJob(job({ index: 1, name: "total" }, { inputs: { n: { dataset: "nums", stored: tampered } } }), other, new AbortController().signal);
    expect(third.outcome).toBe("failed");
    expect(third.error?.message).toMatch(/corrupted/);
  });

  it("a failing step is a failed result naming the step, not a thrown error", async () => {
    const dir = tempDir("linea-job-");
    const h = host(dir, [{ name: "boom", outputs: ["x"], run: () => { throw new Error("boom on purpose"); } } as Step]);
    const result = await executeStepJob(job({ index: 0, name: "boom" }), h, new AbortController().signal);
    expect(result.outcome).toBe("failed");
    expect(result.error?.message).toBe('Step "boom" failed: boom on purpose');
  });
});
