import { afterEach, describe, expect, it, vi } from "vitest";
import { EventBus, EventPriority, InvalidOptionsError, type EventPayloads, type EventType, type Step } from "../../src/index.js";
import { Probe, node, shape } from "../helpers/dag-shapes.js";
import { testOrchestrator } from "../helpers/temp-dir.js";
import { virtualTime } from "../helpers/virtual-clock.js";

const BASE = { pipelineName: "p", runId: "run-1", batchRunId: "b", timestamp: "2026-01-01T00:00:00.000Z" };
const START: EventPayloads["pipeline_start"] = { ...BASE, stepCount: 1, steps: ["only"], maxWorkers: 1, continueOnError: false, runAttempt: 1 };

/** The warning of a hook suspended at its first timeout. */
function suspendedAfterTimeout(hook: string, ms: number, type: string, runId: string): string {
  return `hook "${hook}" failed on ${type}: hook "${hook}" timed out after ${ms} ms on ${type}. It is suspended for the rest of run ${runId} ` +
    "after 1 timeout: its later events of this run are not delivered (fix the hook, or raise the EventBus's maxHookTimeouts)";
}

function oneStep(): Step[] {
  return [node(new Probe(), "only")];
}

/** a -> b(always fails) -> c, and d -> e independent. */
function failingDag(probe: Probe): Step[] {
  return [node(probe, "a"), node(probe, "b", ["a"], { failTimes: Infinity }), node(probe, "c", ["b"]), node(probe, "d"), node(probe, "e", ["d"])];
}

describe("EventBus priorities", () => {
  it("runs CRITICAL hooks first and LOW last during a run", async () => {
    const bus = new EventBus();
    const order: string[] = [];
    const record = (name: string) => () => void order.push(name);
    bus.registerHook("node_start", record("low"), EventPriority.LOW, { name: "low" });
    bus.registerHook("node_start", record("medium"), EventPriority.MEDIUM, { name: "medium" });
    bus.registerHook("node_start", record("critical"), EventPriority.CRITICAL, { name: "critical" });
    bus.registerHook("node_start", record("high"), EventPriority.HIGH, { name: "high" });
    await testOrchestrator({ steps: oneStep(), eventBus: bus }).execute();
    expect(order).toEqual(["critical", "high", "medium", "low"]);
  });

  it("keeps registration order among equal priorities, whatever the event list each was registered with", async () => {
    const bus = new EventBus();
    const order: string[] = [];
    bus.registerHook("*", () => void order.push("first"), EventPriority.HIGH);
    bus.registerHook(["node_start", "node_complete"], () => void order.push("second"), EventPriority.HIGH);
    bus.registerHook("node_start", () => void order.push("third"), EventPriority.HIGH);
    bus.registerHook("node_start", () => void order.push("critical"), EventPriority.CRITICAL);
    bus.emit("node_start", { ...BASE, stepName: "s", layer: undefined, inputs: [], outputs: ["s"], cacheKey: undefined, cacheMiss: undefined });
    await bus.flush();
    expect(order).toEqual(["critical", "first", "second", "third"]);
  });

  it("defaults to MEDIUM: after HIGH, before LOW", async () => {
    const bus = new EventBus();
    const order: string[] = [];
    bus.registerHook("pipeline_start", () => void order.push("low"), EventPriority.LOW);
    bus.registerHook("pipeline_start", () => void order.push("default"));
    bus.registerHook("pipeline_start", () => void order.push("high"), EventPriority.HIGH);
    bus.emit("pipeline_start", START);
    await bus.flush();
    expect(order).toEqual(["high", "default", "low"]);
  });

  it("rejects an unknown priority and an unknown event type", () => {
    const bus = new EventBus();
    expect(() => bus.registerHook("node_start", () => {}, 7 as EventPriority)).toThrow(
      new InvalidOptionsError("priority", "Expected `priority` to be one of EventPriority's values, got `7`"),
    );
    expect(() => bus.registerHook("node_stat" as EventType, () => {})).toThrow(/^Unknown event type "node_stat"\. Use one of pipeline_start, /);
  });
});

describe("EventBus registrations", () => {
  it("unregisters a hook by its registration or by name", async () => {
    const bus = new EventBus();
    const calls = { a: 0, b: 0, c: 0 };
    const a = bus.registerHook("*", () => void calls.a++, EventPriority.MEDIUM, { name: "a" });
    bus.registerHook("*", () => void calls.b++, EventPriority.MEDIUM, { name: "b" });
    bus.registerHook("*", () => void calls.c++, EventPriority.MEDIUM, { name: "c" });
    a.unregister();
    expect(bus.unregisterHook("b")).toBe(true);
    expect(bus.unregisterHook("b")).toBe(false);
    await testOrchestrator({ steps: oneStep(), eventBus: bus }).execute();
    expect(calls).toEqual({ a: 0, b: 0, c: 4 }); // pipeline_start, node_start, node_complete, pipeline_complete
    expect(bus.hookNames()).toEqual(["c"]);
  });

  it("disables and enables a hook by name, and names a second hook of the same name name#2", async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const alerts = bus.registerHook("pipeline_complete", () => void seen.push("alerts"), EventPriority.MEDIUM, { name: "alerts" });
    const again = bus.registerHook("pipeline_complete", () => void seen.push("alerts#2"), EventPriority.MEDIUM, { name: "alerts" });
    expect([alerts.name, again.name]).toEqual(["alerts", "alerts#2"]);
    const orchestrator = testOrchestrator({ steps: oneStep(), eventBus: bus });
    bus.disableHook("alerts");
    await orchestrator.execute();
    expect(seen).toEqual(["alerts#2"]);
    bus.enableHook("alerts");
    await orchestrator.execute();
    expect(seen).toEqual(["alerts#2", "alerts", "alerts#2"]);
  });

  it("refuses to disable a hook it does not know, listing those it does", () => {
    const bus = new EventBus();
    bus.registerHook("node_error", function pager() {});
    expect(() => bus.disableHook("pagr")).toThrow(new InvalidOptionsError("name", 'No hook named "pagr". Registered hooks: "pager".'));
  });
});

describe("EventBus isolation", () => {
  it("reports a throwing hook as a run warning and a hook_error event; the other hooks still run", async () => {
    const bus = new EventBus();
    const after: string[] = [];
    const hookErrors: Array<EventPayloads["hook_error"]> = [];
    bus.registerHook("node_start", () => { throw new Error("kaput"); }, EventPriority.CRITICAL, { name: "boom" });
    bus.registerHook("node_start", (p) => void after.push(p.stepName), EventPriority.LOW, { name: "after" });
    bus.registerHook("hook_error", (p) => void hookErrors.push(p));
    const result = await testOrchestrator({ steps: oneStep(), eventBus: bus }).execute();
    expect(result.status).toBe("success");
    expect(after).toEqual(["only"]);
    expect(result.warnings).toEqual([{ source: "hook", message: 'hook "boom" failed on node_start: kaput' }]);
    expect(hookErrors).toHaveLength(1);
    expect(hookErrors[0]).toMatchObject({ hookName: "boom", eventType: "node_start", errorMessage: "kaput", runId: result.runId, pipelineName: "test" });
  });

  it("reports a rejected async hook the same way", async () => {
    const bus = new EventBus();
    bus.registerHook("pipeline_complete", async () => { throw new TypeError("no route"); }, EventPriority.MEDIUM, { name: "async" });
    const result = await testOrchestrator({ steps: oneStep(), eventBus: bus }).execute();
    expect(result.warnings.map((w) => w.message)).toEqual(['hook "async" failed on pipeline_complete: no route']);
  });

  it("abandons a hung async hook at its timeout and suspends it: execute() waits one timeout, and its signal aborts", async () => {
    const bus = new EventBus();
    let signal: AbortSignal | undefined;
    const later: string[] = [];
    bus.registerHook("pipeline_start", (_p, ctx) => {
      signal = ctx.signal;
      return new Promise<void>((resolve) => setTimeout(resolve, 100_000));
    }, EventPriority.CRITICAL, { name: "hung", timeoutMs: 100 });
    bus.registerHook("pipeline_start", () => void later.push("ran"), EventPriority.LOW);
    const { value: result, virtualMs } = await virtualTime(() => testOrchestrator({ steps: oneStep(), eventBus: bus }).execute());
    expect(virtualMs).toBe(100);
    expect(result.status).toBe("success");
    expect(later).toEqual(["ran"]);
    expect(signal?.aborted).toBe(true);
    expect(result.warnings).toEqual([{ source: "hook", message: suspendedAfterTimeout("hung", 100, "pipeline_start", result.runId) }]);
  });

  it("applies the bus's hookTimeoutMs to hooks without their own", async () => {
    const bus = new EventBus({ hookTimeoutMs: 50 });
    bus.registerHook("pipeline_complete", () => new Promise<void>(() => {}), EventPriority.MEDIUM, { name: "never" });
    const result = await testOrchestrator({ steps: oneStep(), eventBus: bus }).execute();
    expect(result.warnings.map((w) => w.message)).toEqual([suspendedAfterTimeout("never", 50, "pipeline_complete", result.runId)]);
  });

  describe("default timeout", () => {
    afterEach(() => void vi.useRealTimers());

    it("is 10 s", async () => {
      vi.useFakeTimers();
      const warnings: string[] = [];
      const bus = new EventBus({ onWarning: (m) => warnings.push(m) });
      bus.registerHook("pipeline_start", () => new Promise<void>(() => {}), EventPriority.MEDIUM, { name: "never" });
      bus.emit("pipeline_start", START);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(warnings).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(warnings).toEqual([suspendedAfterTimeout("never", 10_000, "pipeline_start", "run-1")]);
    });
  });

  it("rejects a hookTimeoutMs that is not a positive number", () => {
    expect(() => new EventBus({ hookTimeoutMs: 0 })).toThrow("Expected `hookTimeoutMs` to be a positive number of milliseconds, got `0`");
  });

  it("never changes the run's outcome: the same nodes, attempts and data with throwing, hanging and slow hooks", async () => {
    const outcome = async (bus?: EventBus) => {
      const result = await testOrchestrator({
        steps: failingDag(new Probe()), eventBus: bus, continueOnError: true, maxWorkers: 1, retry: { maxRetries: 1, delayMs: 1 },
      }).execute();
      const nodes = Object.entries(result.nodes).map(([name, n]) => [name, n.status, n.kind, n.blockedBy, n.attempts, n.error?.message]);
      return { status: result.status, counts: result.counts, nodes, e: await result.dataMap.get("e")?.toRows(), warnings: result.warnings.length };
    };
    const quiet = await outcome();
    const bus = new EventBus({ hookTimeoutMs: 30 });
    bus.registerHook("*", () => { throw new Error("always"); }, EventPriority.CRITICAL, { name: "thrower" });
    bus.registerHook(["node_error", "node_retry"], () => new Promise<void>(() => {}), EventPriority.HIGH, { name: "hanger" });
    bus.registerHook("node_complete", () => new Promise<void>((r) => setTimeout(r, 5)), EventPriority.LOW, { name: "slow" });
    const noisy = await outcome(bus);
    expect(noisy.warnings).toBe(4); // thrower: 3 failures, the third suspends it; hanger: its first timeout suspends it
    expect({ ...noisy, warnings: 0 }).toEqual({ ...quiet, warnings: 0 });
    expect(quiet.nodes.map((n) => n[1])).toEqual(["success", "failed", "skipped", "success", "success"]);
  });

  it("delivers a hook's events in emission order even when an earlier one is slow", async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.registerHook("*", async (p, { eventType }) => {
      if (eventType === "node_start") await new Promise((r) => setTimeout(r, 20));
      seen.push("stepName" in p ? `${eventType}:${p.stepName}` : eventType);
    });
    await testOrchestrator({ steps: shape("chain", new Probe()).slice(0, 2), eventBus: bus, maxWorkers: 1 }).execute();
    expect(seen).toEqual(["pipeline_start", "node_start:a", "node_complete:a", "node_start:b", "node_complete:b", "pipeline_complete"]);
  });
});
