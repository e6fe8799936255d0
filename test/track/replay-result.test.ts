import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventBus, type Orchestrator, type OrchestratorOptions, type RunResult, type Step } from "../../src/index.js";
import type { StepSpec } from "../../src/step/step-spec.js";
import type { StepExecution } from "../../src/track/step-execution.js";
import { Tracker } from "../../src/track/tracker.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** The records a tracker made from `result`'s node results gives, beside those the run's events gave it. */
function fromResults(orchestrator: Orchestrator, result: RunResult): StepExecution[] {
  const specs = (orchestrator as unknown as { specs: readonly StepSpec[] }).specs;
  const tracker = new Tracker({
    pipelineName: result.pipelineName, runId: result.runId, batchRunId: result.batchRunId, plan: result.plan, specs,
    snapshots: false, fromResults: true,
  });
  const eager = result.tracker;
  tracker.recordResults(specs.map((s) => result.nodes[s.name]), {
    status: eager.status === "running" ? "failed" : eager.status, startTime: eager.startTime ?? "", endTime: eager.endTime ?? "", durationMs: eager.durationMs,
  });
  return tracker.stepExecutions;
}

/** Runs with the tracker off but an event bus, so that the run's tracker records from events; returns both sets of records. */
async function bothWays(steps: Step[], options: Partial<OrchestratorOptions> = {}, signal?: AbortSignal): Promise<{ events: StepExecution[]; results: StepExecution[]; result: RunResult }> {
  const orchestrator = testOrchestrator({ steps, enableTracker: false, eventBus: new EventBus(), maxWorkers: 1, ...options });
  const result = await orchestrator.execute({ signal });
  return { events: result.tracker.stepExecutions, results: fromResults(orchestrator, result), result };
}

let flaky = 0;
const SCENARIOS: Record<string, { steps: () => Step[]; options?: Partial<OrchestratorOptions> }> = {
  "successes, a warn check that fails, retries then success": {
    steps: () => {
      flaky = 0;
      return [
        { name: "a", outputs: ["a"], run: () => [{ n: 1 }, { n: 2 }] },
        { name: "b", inputs: ["a"], outputs: ["b"], checks: [{ kind: "row_count", min: 5, severity: "warn" }], run: ({ a }) => a },
        { name: "flaky", inputs: ["b"], outputs: ["c"], retry: { maxRetries: 2, delayMs: 1 }, run: ({ b }) => { if (++flaky < 3) throw new Error(`try ${flaky}`); return b; } },
        { name: "value", inputs: ["c"], outputs: ["v"], run: () => 42 },
      ];
    },
  },
  "a failure after retries, fail-fast: the rest aborted": {
    steps: () => [
      { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
      { name: "bad", inputs: ["a"], outputs: ["b"], retry: { maxRetries: 1, delayMs: 1 }, run: () => { throw new Error("boom"); } },
      { name: "after", inputs: ["b"], outputs: ["c"], run: ({ b }) => b },
      { name: "other", inputs: ["a"], outputs: ["o"], run: ({ a }) => a },
    ],
  },
  "continue-on-error: blocked descendants, an error check, a timeout": {
    steps: () => [
      { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
      { name: "checked", inputs: ["a"], outputs: ["b"], checks: [{ kind: "row_count", min: 5 }], run: ({ a }) => a },
      { name: "after", inputs: ["b"], outputs: ["c"], run: ({ b }) => b },
      { name: "slow", inputs: ["a"], outputs: ["s"], timeoutMs: 20, run: () => new Promise(() => undefined) },
      { name: "sql", inputs: ["a"], outputs: ["q"], sql: "SELECT n * 2 AS m FROM a" },
    ],
    options: { continueOnError: true },
  },
};

describe("a tracker made from results", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(`has the records the events give: ${name}`, async () => {
      const { events, results } = await bothWays(scenario.steps(), scenario.options);
      expect(results).toEqual(events);
      expect(results.map((r) => r.status)).not.toContain("pending");
    });
  }

  it("has the records the events give for cached steps, and for a run interrupted", async () => {
    const dir = tempDir();
    const steps: Step[] = [
      { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
      { name: "b", inputs: ["a"], outputs: ["b"], sql: "SELECT n + 1 AS n FROM a" },
    ];
    const cache = { baseDir: dir, cache: true, cacheDir: join(dir, "cache") } as const;
    await bothWays(steps, cache);
    const warm = await bothWays(steps, cache);
    expect(warm.events.map((r) => r.status)).toEqual(["cached", "cached"]);
    expect(warm.results).toEqual(warm.events);

    const controller = new AbortController();
    const interrupted = await bothWays([
      { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
      { name: "wait", inputs: ["a"], outputs: ["w"], run: () => new Promise(() => controller.abort()) },
      { name: "never", inputs: ["w"], outputs: ["n"], run: ({ w }) => w },
    ], {}, controller.signal);
    expect(interrupted.events.map((r) => r.status)).toEqual(["success", "failed", "skipped"]);
    expect(interrupted.results).toEqual(interrupted.events);
  });

  it("is what a run with the tracker off and nobody listening gives: the same records as with a bus, but for times", async () => {
    const steps = SCENARIOS["a failure after retries, fail-fast: the rest aborted"]?.steps() as Step[];
    const quiet = await testOrchestrator({ steps, enableTracker: false, maxWorkers: 1 }).execute();
    const heard = await bothWays(steps);
    const timeless = (records: StepExecution[]): unknown[] => records.map((r) => ({ ...r, startTime: r.startTime && "t", endTime: r.endTime && "t", durationMs: 0 }));
    expect(timeless(quiet.tracker.stepExecutions)).toEqual(timeless(heard.events));
    expect(quiet.tracker.step("bad")).toMatchObject({ status: "failed", attempts: 2, errorMessage: 'Step "bad" failed: boom' });
    expect(quiet.tracker.step("bad")?.attemptLog.map((a) => a.outcome)).toEqual(["failed", "failed"]);
    expect(quiet.tracker).toMatchObject({ status: "failed", endTime: expect.any(String), startTime: expect.any(String) });
  });
});
