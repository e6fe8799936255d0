import { describe, expect, it } from "vitest";
import {
  EventBus, Orchestrator, RunInterruptedError, StepFailedError, StepTimeoutError, type EventType, type Row, type Step,
} from "../../src/index.js";
import { Probe, node, quietLogger, shape, type ShapeName } from "../helpers/dag-shapes.js";

function orchestrator(steps: Step[], options: Partial<ConstructorParameters<typeof Orchestrator>[0]> = {}) {
  return new Orchestrator({ name: "test", steps, logger: quietLogger(), cache: false, checkpoint: false, historyDb: false, ...options });
}

/** a -> b(fails) -> c, and an independent branch d -> e. */
function failingDag(probe: Probe): Step[] {
  return [
    node(probe, "a"),
    node(probe, "b", ["a"], { failTimes: Infinity }),
    node(probe, "c", ["b"]),
    node(probe, "d"),
    node(probe, "e", ["d"]),
    node(probe, "f", ["c", "e"]),
  ];
}

describe("executor on every shape", () => {
  for (const kind of ["chain", "diamond", "fan", "wide"] as ShapeName[]) {
    it(`runs a ${kind} to success, each node once, upstreams first`, async () => {
      const probe = new Probe();
      const steps = shape(kind, probe);
      const result = await orchestrator(steps).execute();
      expect(result.status).toBe("success");
      expect(Object.values(result.nodes).every((n) => n.status === "success" && n.attempts === 1)).toBe(true);
      expect([...probe.started].sort()).toEqual(steps.map((s) => s.name).sort());
      for (const step of result.plan.steps) {
        for (const up of step.upstream) expect(probe.endAt.get(up)).toBeLessThanOrEqual(probe.startAt.get(step.name) as number);
      }
      expect(result.counts).toEqual({ success: steps.length, cached: 0, failed: 0, skipped: 0 });
    });
  }
});

describe("failure policies", () => {
  it("fail-fast: running nodes finish, nothing new starts, never-started nodes are aborted", async () => {
    const probe = new Probe();
    const result = await orchestrator(failingDag(probe), { maxWorkers: 1 }).execute();
    expect(result.status).toBe("failed");
    expect(result.nodes.a?.status).toBe("success");
    expect(result.nodes.b).toMatchObject({ status: "failed", attempts: 1 });
    expect(result.nodes.b?.error).toBeInstanceOf(StepFailedError);
    expect(result.nodes.b?.error?.message).toBe('Step "b" failed: b failed on attempt 1');
    for (const name of ["c", "d", "e", "f"]) {
      expect(result.nodes[name]).toMatchObject({ status: "skipped", kind: "aborted", statusReason: "fail_fast_abort", attempts: 0 });
      expect(result.nodes[name]?.blockedBy).toBeUndefined();
    }
    expect(probe.started).toEqual(["a", "b"]);
  });

  it("fail-fast lets a node already running finish", async () => {
    const probe = new Probe();
    const steps = [node(probe, "slow", [], { delayMs: 80 }), node(probe, "boom", [], { failTimes: Infinity }), node(probe, "after", ["slow"])];
    const result = await orchestrator(steps, { maxWorkers: 2 }).execute();
    expect(result.nodes.slow?.status).toBe("success");
    expect(result.nodes.boom?.status).toBe("failed");
    expect(result.nodes.after).toMatchObject({ status: "skipped", kind: "aborted", statusReason: "fail_fast_abort" });
  });

  it("continue-on-error: descendants are blocked by the failed node, independent branches run", async () => {
    const probe = new Probe();
    const result = await orchestrator(failingDag(probe), { maxWorkers: 1, continueOnError: true }).execute();
    expect(result.status).toBe("failed");
    expect(result.nodes.b?.status).toBe("failed");
    expect(result.nodes.c).toMatchObject({ status: "skipped", kind: "blocked", blockedBy: "b", statusReason: "upstream_failed" });
    expect(result.nodes.f).toMatchObject({ status: "skipped", kind: "blocked", blockedBy: "b" });
    expect(result.nodes.d?.status).toBe("success");
    expect(result.nodes.e?.status).toBe("success");
    expect(result.counts).toEqual({ success: 3, cached: 0, failed: 1, skipped: 2 });
  });

  it("never throws because a step failed", async () => {
    const steps: Step[] = [{ name: "throws", outputs: ["x"], run: () => { throw new TypeError("bad value"); } }];
    const result = await orchestrator(steps).execute();
    expect(result.nodes.throws?.error?.message).toBe('Step "throws" failed: bad value');
    expect((result.nodes.throws?.error as Error).cause).toBeInstanceOf(TypeError);
  });
});

describe("retries", () => {
  it("retries a flaky step and records every attempt with its error", async () => {
    const probe = new Probe();
    const steps = [node(probe, "flaky", [], { failTimes: 2 })];
    const result = await orchestrator(steps, { retry: { maxRetries: 3, delayMs: 1, jitter: 0 } }).execute();
    const flaky = result.nodes.flaky;
    expect(flaky?.status).toBe("success");
    expect(flaky?.attempts).toBe(3);
    expect(flaky?.attemptLog.map((a) => [a.attempt, a.outcome, a.error?.message])).toEqual([
      [1, "failed", 'Step "flaky" failed: flaky failed on attempt 1'],
      [2, "failed", 'Step "flaky" failed: flaky failed on attempt 2'],
      [3, "success", undefined],
    ]);
    expect(flaky?.attemptLog.map((a) => a.retryDelayMs)).toEqual([1, 2, undefined]);
  });

  it("gives up after maxRetries", async () => {
    const probe = new Probe();
    const result = await orchestrator([node(probe, "x", [], { failTimes: 5 })], { maxRetries: 2, retry: { delayMs: 1 } }).execute();
    expect(result.nodes.x).toMatchObject({ status: "failed", attempts: 3 });
    expect(probe.attempts.get("x")).toBe(3);
  });

  it("lets a step's retry override the run's", async () => {
    const probe = new Probe();
    const steps: Step[] = [{ ...node(probe, "x", [], { failTimes: 5 }), retry: { maxRetries: 0 } }, node(probe, "y", [], { failTimes: 1 })];
    const result = await orchestrator(steps, { maxRetries: 4, retry: { delayMs: 1 }, continueOnError: true }).execute();
    expect(result.nodes.x?.attempts).toBe(1);
    expect(result.nodes.y).toMatchObject({ status: "success", attempts: 2 });
  });

  it("asks retryOn with the error the body threw", async () => {
    const seen: unknown[] = [];
    const steps: Step[] = [{
      name: "x", outputs: ["x"], run: () => { throw new RangeError("permanent"); },
      retry: { maxRetries: 3, delayMs: 1, retryOn: (error) => (seen.push(error), !(error instanceof RangeError)) },
    }];
    const result = await orchestrator(steps).execute();
    expect(result.nodes.x?.attempts).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(RangeError);
  });
});

describe("timeouts", () => {
  it("fails the attempt with an error naming the step and the limit, and aborts ctx.signal", async () => {
    let aborted: unknown;
    const steps: Step[] = [{
      name: "hang", outputs: ["x"], timeoutMs: 50,
      run: (_inputs, ctx) => new Promise<Row[]>((resolve) => ctx.signal.addEventListener("abort", () => {
        aborted = ctx.signal.reason;
        setTimeout(() => resolve([]), 5);
      })),
    }];
    const result = await orchestrator(steps).execute();
    const hang = result.nodes.hang;
    expect(hang?.status).toBe("failed");
    expect(hang?.error).toBeInstanceOf(StepTimeoutError);
    expect(hang?.error?.message).toBe('Step "hang" timed out after 50 ms (attempt 1). Raise its timeoutMs, or make it honour ctx.signal and finish sooner.');
    expect(hang?.attemptLog[0]?.outcome).toBe("timeout");
    expect(aborted).toBeInstanceOf(StepTimeoutError);
  });

  it("fails on time even when the body ignores the signal", async () => {
    // The body never ends on its own: the run can only finish because the timeout gave up on it.
    let finish: (() => void) | undefined;
    const steps: Step[] = [{ name: "deaf", outputs: ["x"], run: () => new Promise<Row[]>((resolve) => (finish = () => resolve([]))) }];
    const result = await orchestrator(steps, { timeoutMs: 30 }).execute();
    expect(result.nodes.deaf?.error).toBeInstanceOf(StepTimeoutError);
    expect(finish).toBeDefined();
    finish?.();
  });

  it("retries a timed-out attempt, each attempt with its own limit", async () => {
    let calls = 0;
    const steps: Step[] = [{
      name: "slow_then_fast", outputs: ["x"], timeoutMs: 40, retry: { maxRetries: 1, delayMs: 1 },
      run: async (_i, ctx) => {
        calls++;
        if (ctx.attempt === 1) await new Promise((r) => setTimeout(r, 200));
        return [{ ok: true }];
      },
    }];
    const result = await orchestrator(steps).execute();
    expect(result.nodes.slow_then_fast).toMatchObject({ status: "success", attempts: 2 });
    expect(result.nodes.slow_then_fast?.attemptLog[0]?.outcome).toBe("timeout");
    expect(calls).toBe(2);
  });
});

describe("concurrency", () => {
  it("never runs more than maxWorkers steps at once, and uses them all", async () => {
    const probe = new Probe();
    const steps = Array.from({ length: 16 }, (_, i) => node(probe, `s${i}`, [], { delayMs: 15 }));
    await orchestrator(steps, { maxWorkers: 3 }).execute();
    expect(probe.maxRunning).toBe(3);
    const one = new Probe();
    await orchestrator(Array.from({ length: 5 }, (_, i) => node(one, `s${i}`, [], { delayMs: 5 })), { maxWorkers: 1 }).execute();
    expect(one.maxRunning).toBe(1);
  });

  it("starts a fast branch's downstream before a slow sibling ends (a ready queue, not layer barriers)", async () => {
    // "slow" ends only once fast_child has run: with layer barriers fast_child would wait for slow, and slow
    // would give up waiting (after 5 s, not a timing assertion: the order below then fails).
    const order: string[] = [];
    let childRan: () => void = () => undefined;
    const childHasRun = new Promise<void>((resolve) => (childRan = resolve));
    const step = (name: string, inputs: string[], body: () => Promise<void> = async () => undefined): Step =>
      ({ name, inputs, outputs: [name], run: async () => { order.push(`start ${name}`); await body(); order.push(`end ${name}`); return [{ step: name }]; } });
    const steps = [
      step("slow", [], () => Promise.race([childHasRun, new Promise<void>((resolve) => setTimeout(resolve, 5_000))])),
      step("fast", []),
      step("fast_child", ["fast"], async () => childRan()),
      step("join", ["slow", "fast_child"]),
    ];
    const result = await orchestrator(steps, { maxWorkers: 4 }).execute();
    expect(result.status).toBe("success");
    expect(order.indexOf("end fast_child")).toBeLessThan(order.indexOf("end slow"));
    expect(order.at(-1)).toBe("end join");
  });
});

describe("interrupts", () => {
  it("aborts running steps through their signal and marks never-started ones aborted", async () => {
    const controller = new AbortController();
    const probe = new Probe();
    const steps = [node(probe, "long", [], { delayMs: 5_000 }), node(probe, "next", ["long"]), node(probe, "other", [], { delayMs: 5_000 })];
    setTimeout(() => controller.abort(new Error("Ctrl-C")), 30);
    const result = await orchestrator(steps, { maxWorkers: 1 }).execute({ signal: controller.signal });
    expect(result.interrupted).toBe(true);
    expect(result.status).toBe("failed");
    expect(result.nodes.long).toMatchObject({ status: "failed", statusReason: "interrupted" });
    expect(result.nodes.long?.error).toBeInstanceOf(RunInterruptedError);
    expect(result.nodes.next).toMatchObject({ status: "skipped", kind: "aborted", statusReason: "interrupted" });
    expect(result.nodes.other).toMatchObject({ status: "skipped", kind: "aborted", statusReason: "interrupted" });
  });
});

describe("events", () => {
  it("emits each lifecycle event once per node, in order", async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.registerHook("*", (payload, { eventType }) => {
      seen.push("stepName" in payload ? `${eventType}:${payload.stepName}` : eventType);
    });
    const probe = new Probe();
    await orchestrator(failingDag(probe), { eventBus: bus, maxWorkers: 1, continueOnError: true, retry: { maxRetries: 1, delayMs: 1 } }).execute();
    const count = (type: EventType): number => seen.filter((s) => s.split(":")[0] === type).length;
    expect(seen[0]).toBe("pipeline_start");
    expect(seen.at(-1)).toBe("pipeline_error");
    expect(count("node_start")).toBe(4);
    expect(count("node_retry")).toBe(1);
    expect(count("node_complete")).toBe(3);
    expect(count("node_error")).toBe(1);
    expect(count("node_skipped")).toBe(2);
    expect(seen.indexOf("node_skipped:c")).toBeGreaterThan(seen.indexOf("node_error:b"));
  });
});
