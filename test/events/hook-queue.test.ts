import { afterEach, describe, expect, it, vi } from "vitest";
import { EventBus, EventPriority, InvalidOptionsError, type EventPayloads, type Step } from "../../src/index.js";
import { Probe, node } from "../helpers/dag-shapes.js";
import { testOrchestrator } from "../helpers/temp-dir.js";
import { virtualTime } from "../helpers/virtual-clock.js";

const BASE = { pipelineName: "p", runId: "run-1", batchRunId: "b", timestamp: "2026-01-01T00:00:00.000Z" };
const START: EventPayloads["pipeline_start"] = { ...BASE, stepCount: 1, steps: ["only"], maxWorkers: 1, continueOnError: false, runAttempt: 1 };

const RUN_EVENTS = ["pipeline_start", "node_start", "node_complete", "pipeline_complete"] as const;

/** A chain of `n` trivial steps. */
function chain(n: number): Step[] {
  const probe = new Probe();
  return Array.from({ length: n }, (_, i) => node(probe, `s${i}`, i === 0 ? [] : [`s${i - 1}`]));
}

afterEach(() => void vi.useRealTimers());

describe("hooks cannot stretch a run", () => {
  // The "done when": a hook that never resolves, on every event, costs at most one hook timeout
  // (+1 s) whatever the number of steps. Measured in virtual time: the timers the run waited for.
  it.each([3, 10, 30])("a hook that never resolves costs at most one hook timeout with %i steps", async (steps) => {
    const timeout = 10_000;
    const run = async (withHook: boolean) => {
      const bus = new EventBus({ hookTimeoutMs: timeout });
      let calls = 0;
      if (withHook) bus.registerHook("*", () => { calls++; return new Promise<void>(() => {}); }, EventPriority.MEDIUM, { name: "never" });
      const { value, virtualMs } = await virtualTime(() => testOrchestrator({ steps: chain(steps), eventBus: bus, maxWorkers: 1 }).execute());
      return { result: value, virtualMs, calls };
    };
    const quiet = await run(false);
    const hung = await run(true);
    expect(hung.virtualMs - quiet.virtualMs).toBeLessThanOrEqual(timeout + 1_000);
    expect(hung.result.status).toBe("success");
    expect(hung.result.counts).toEqual(quiet.result.counts);
    expect(hung.calls).toBe(1); // suspended at its first timeout
    expect(hung.result.warnings.map((w) => w.message)).toEqual([
      `hook "never" failed on pipeline_start: hook "never" timed out after 10000 ms on pipeline_start. It is suspended for the rest of run ${hung.result.runId} after 1 timeout: its later events of this run are not delivered (fix the hook, or raise the EventBus's maxHookTimeouts)`,
    ]);
  });

  it("a slow hook delays no other hook: each consumes its own events in order", async () => {
    const bus = new EventBus({ hookTimeoutMs: 60_000 });
    const fast: string[] = [];
    const slow: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    bus.registerHook("*", async (p, { eventType }) => {
      await gate;
      slow.push("stepName" in p ? `${eventType}:${p.stepName}` : eventType);
    }, EventPriority.CRITICAL, { name: "slow" });
    bus.registerHook("*", (p, { eventType }) => void fast.push("stepName" in p ? `${eventType}:${p.stepName}` : eventType), EventPriority.LOW, { name: "fast" });
    const orchestrator = testOrchestrator({ steps: chain(2), eventBus: bus, maxWorkers: 1 });
    const running = orchestrator.execute();
    const expected = ["pipeline_start", "node_start:s0", "node_complete:s0", "node_start:s1", "node_complete:s1", "pipeline_complete"];
    // The fast hook has every event while the slow one still holds its first (its gate is closed).
    await vi.waitFor(() => expect(fast).toEqual(expected), { timeout: 30_000 });
    expect(slow).toEqual([]);
    release();
    const result = await running;
    expect(slow).toEqual(expected);
    expect(result.warnings).toEqual([]);
  });

  it("suspends a hook after maxHookFailures failures in a row, reported once as a warning and a hook_error", async () => {
    const bus = new EventBus();
    let calls = 0;
    const hookErrors: Array<EventPayloads["hook_error"]> = [];
    bus.registerHook(RUN_EVENTS, () => { calls++; throw new Error(`kaput ${calls}`); }, EventPriority.MEDIUM, { name: "thrower" });
    bus.registerHook("hook_error", (p) => void hookErrors.push(p));
    const result = await testOrchestrator({ steps: chain(10), eventBus: bus }).execute();
    expect(result.status).toBe("success");
    expect(calls).toBe(3);
    expect(result.warnings.map((w) => w.message)).toEqual([
      'hook "thrower" failed on pipeline_start: kaput 1',
      'hook "thrower" failed on node_start: kaput 2',
      `hook "thrower" failed on node_complete: kaput 3. It is suspended for the rest of run ${result.runId} after 3 failures in a row: its later events of this run are not delivered (fix the hook, or raise the EventBus's maxHookFailures)`,
    ]);
    expect(hookErrors.map((e) => [e.eventType, e.suspended])).toEqual([["pipeline_start", false], ["node_start", false], ["node_complete", true]]);
  });

  it("a success resets the failure count, and a suspension lasts for its run only", async () => {
    const bus = new EventBus({ maxHookFailures: 2, onWarning: () => {} });
    let calls = 0;
    bus.registerHook(RUN_EVENTS, () => { calls++; if (calls % 2 === 0) throw new Error("every other"); }, EventPriority.MEDIUM, { name: "flaky" });
    const orchestrator = testOrchestrator({ steps: chain(3), eventBus: bus });
    const first = await orchestrator.execute();
    expect(calls).toBe(8); // every event delivered: never two failures in a row
    expect(first.warnings).toHaveLength(4);
    const strict = new EventBus({ maxHookFailures: 1 });
    let runs = 0;
    strict.registerHook("pipeline_start", () => { runs++; throw new Error("no"); }, EventPriority.MEDIUM, { name: "once" });
    const again = testOrchestrator({ steps: chain(1), eventBus: strict });
    await again.execute();
    await again.execute();
    expect(runs).toBe(2);
  });

  it("execute() waits at most drainTimeoutMs for outstanding deliveries, then reports what was not delivered", async () => {
    const bus = new EventBus({ hookTimeoutMs: 60_000, drainTimeoutMs: 2_000 });
    const signals: AbortSignal[] = [];
    bus.registerHook(["node_complete", "pipeline_complete"], (_p, { signal }) => {
      signals.push(signal);
      return new Promise<void>(() => {});
    }, EventPriority.MEDIUM, { name: "stuck" });
    const { value: result, virtualMs } = await virtualTime(() => testOrchestrator({ steps: chain(3), eventBus: bus, maxWorkers: 1 }).execute());
    expect(virtualMs).toBe(2_000);
    expect(result.status).toBe("success");
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(result.warnings.map((w) => w.message)).toEqual([
      `4 event(s) of run ${result.runId} not delivered: the hooks did not finish within the drain time of 2000 ms (hook "stuck": node_complete ×3, pipeline_complete). Make the hooks faster, or raise the EventBus's drainTimeoutMs`,
    ]);
    // Nothing of that run is left behind on the bus.
    await bus.flush();
  });

  it("validates the new options", () => {
    expect(() => new EventBus({ drainTimeoutMs: -1 })).toThrow(
      new InvalidOptionsError("drainTimeoutMs", "Expected `drainTimeoutMs` to be a positive number of milliseconds, got `-1`"),
    );
    expect(() => new EventBus({ maxHookFailures: 0 })).toThrow("Expected `maxHookFailures` to be a whole number from 1 and up, got `0`");
    expect(() => new EventBus({ maxHookTimeouts: 1.5 })).toThrow("Expected `maxHookTimeouts` to be a whole number from 1 and up, got `1.5`");
    expect(() => new EventBus().registerHook("node_start", () => {}, EventPriority.LOW, { timeoutMs: 0 })).toThrow(
      "Expected `timeoutMs` to be a positive number of milliseconds, got `0`",
    );
  });

  it("flush() waits for hand-emitted events of every hook", async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.registerHook("pipeline_start", async () => { await Promise.resolve(); seen.push("a"); }, EventPriority.MEDIUM, { name: "a" });
    bus.registerHook("pipeline_start", () => void seen.push("b"), EventPriority.LOW, { name: "b" });
    bus.emit("pipeline_start", START);
    bus.emit("pipeline_start", START);
    await bus.flush();
    expect(seen.sort()).toEqual(["a", "a", "b", "b"]);
  });
});
