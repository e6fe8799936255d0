import { describe, expect, it } from "vitest";
import { EVENT_TYPES, EventBus, type EventPayloads, type EventType, type OrchestratorOptions, type RunResult, type Step } from "../../src/index.js";
import { Probe, shape, type Behavior, type ShapeName } from "../helpers/dag-shapes.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** A diamond of SQL steps: a -> b, a -> c, (b, c) -> d. */
function sqlShape(): Step[] {
  return [
    { name: "a", outputs: ["a"], sql: "SELECT range AS n FROM range(10)" },
    { name: "b", inputs: ["a"], outputs: ["b"], sql: "SELECT n * 2 AS n FROM a" },
    { name: "c", inputs: ["a"], outputs: ["c"], sql: "SELECT n * 3 AS n FROM a" },
    { name: "d", inputs: ["b", "c"], outputs: ["d"], sql: "SELECT sum(b.n) + sum(c.n) AS total FROM b, c" },
  ];
}

interface Seen {
  readonly type: EventType;
  readonly payload: EventPayloads[EventType];
}

async function runAndRecord(steps: Step[], options: Partial<OrchestratorOptions> = {}, signal?: AbortSignal): Promise<{ result: RunResult; events: Seen[] }> {
  const bus = new EventBus();
  const events: Seen[] = [];
  bus.registerHook("*", (payload, { eventType }) => void events.push({ type: eventType, payload }));
  const result = await testOrchestrator({ steps, eventBus: bus, maxWorkers: 1, ...options }).execute({ signal });
  return { result, events };
}

const stepOf = (e: Seen): string | undefined => ("stepName" in e.payload ? e.payload.stepName : undefined);
const namesOf = (events: Seen[], type: EventType): string[] => events.filter((e) => e.type === type).map((e) => stepOf(e) ?? "").sort();
const TERMINAL = { success: "node_complete", cached: "node_cached", failed: "node_error", skipped: "node_skipped" } as const;

/** What every run's event stream must satisfy, checked against its result node by node. */
function expectConsistent(result: RunResult, events: Seen[]): void {
  const count = (type: EventType): number => events.filter((e) => e.type === type).length;
  expect(events[0]?.type).toBe("pipeline_start");
  expect(count("pipeline_start")).toBe(1);
  expect(count("pipeline_complete") + count("pipeline_error")).toBe(1);
  expect(events.at(-1)?.type).toBe(result.status === "success" ? "pipeline_complete" : "pipeline_error");
  expect(count("hook_error")).toBe(0);
  for (const e of events) expect(e.payload.runId).toBe(result.runId);
  for (const name of result.plan.order) {
    const node = result.nodes[name];
    const mine = events.map((e, i) => ({ ...e, i })).filter((e) => stepOf(e) === name);
    const terminals = mine.filter((e) => Object.values(TERMINAL).includes(e.type as never));
    expect(terminals.map((e) => e.type), name).toEqual([TERMINAL[node?.status ?? "failed"]]);
    const starts = mine.filter((e) => e.type === "node_start");
    const ran = node?.status === "success" || node?.status === "failed";
    expect(starts.length, `${name} node_start`).toBe(ran ? 1 : 0);
    const retries = mine.filter((e) => e.type === "node_retry");
    expect(retries.length, `${name} node_retry`).toBe(ran ? (node?.attempts ?? 0) - 1 : 0);
    for (const e of [...retries, ...terminals]) if (ran) expect(e.i).toBeGreaterThan(starts[0]?.i ?? Infinity);
    for (const e of retries) expect(e.i).toBeLessThan(terminals[0]?.i ?? -1);
  }
}

const SHAPES: ShapeName[] = ["chain", "diamond", "fan", "wide"];
const FAILING: Record<ShapeName, string> = { chain: "b", diamond: "b", fan: "m2", wide: "w03" };
const FIRST: Record<ShapeName, string> = { chain: "a", diamond: "a", fan: "src", wide: "w00" };
const ALL = (kind: ShapeName): string[] => shape(kind, new Probe()).map((s) => s.name).sort();
const w = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `w${String(from + i).padStart(2, "0")}`);

/** With maxWorkers 1, what each shape runs before and after its failing node. */
const EXPECTED: Record<"failFast" | "continueOnError", Record<ShapeName, { started: string[]; skipped: string[] }>> = {
  failFast: {
    chain: { started: ["a", "b"], skipped: ["c", "d"] },
    diamond: { started: ["a", "b"], skipped: ["c", "d"] },
    fan: { started: ["m1", "m2", "src"], skipped: ["m3", "m4", "sink"] },
    wide: { started: w(0, 3), skipped: w(4, 11) },
  },
  continueOnError: {
    chain: { started: ["a", "b"], skipped: ["c", "d"] },
    diamond: { started: ["a", "b", "c"], skipped: ["d"] },
    fan: { started: ["m1", "m2", "m3", "m4", "src"], skipped: ["sink"] },
    wide: { started: w(0, 11), skipped: [] },
  },
};

describe("event emission on every shape", () => {
  for (const kind of SHAPES) {
    it(`${kind}, all succeed: one node_start and one node_complete per node, nothing else`, async () => {
      const { result, events } = await runAndRecord(shape(kind, new Probe()), { maxWorkers: 4 });
      expectConsistent(result, events);
      const counts = Object.fromEntries(EVENT_TYPES.map((t) => [t, events.filter((e) => e.type === t).length]));
      const n = ALL(kind).length;
      expect(counts).toEqual({ ...Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])), pipeline_start: 1, node_start: n, node_complete: n, pipeline_complete: 1 });
      expect(namesOf(events, "node_complete")).toEqual(ALL(kind));
    });

    for (const policy of ["failFast", "continueOnError"] as const) {
      it(`${kind}, ${policy}: the failing node's error once, ${policy === "failFast" ? "aborted" : "blocked"} skips once each`, async () => {
        const failing = FAILING[kind];
        const steps = shape(kind, new Probe(), { [failing]: { failTimes: Infinity } });
        const { result, events } = await runAndRecord(steps, { continueOnError: policy === "continueOnError" });
        expectConsistent(result, events);
        const { started, skipped } = EXPECTED[policy][kind];
        expect(namesOf(events, "node_start")).toEqual(started);
        expect(namesOf(events, "node_error")).toEqual([failing]);
        expect(namesOf(events, "node_complete")).toEqual(started.filter((s) => s !== failing));
        expect(namesOf(events, "node_skipped")).toEqual(skipped);
        expect(namesOf(events, "node_retry")).toEqual([]);
        const skips = events.filter((e): e is Seen & { payload: EventPayloads["node_skipped"] } => e.type === "node_skipped").map((e) => e.payload);
        for (const skip of skips) {
          expect(skip).toMatchObject(policy === "failFast"
            ? { kind: "aborted", statusReason: "fail_fast_abort", blockedBy: undefined }
            : { kind: "blocked", statusReason: "upstream_failed", blockedBy: failing });
        }
        const errorAt = events.findIndex((e) => e.type === "node_error");
        for (const [i, e] of events.entries()) if (e.type === "node_skipped" && policy === "continueOnError") expect(i).toBeGreaterThan(errorAt);
        expect(events.at(-1)?.payload).toMatchObject({ status: "failed", failedSteps: [failing], interrupted: false });
      });
    }

    for (const policy of ["failFast", "continueOnError"] as const) {
      it(`${kind}, ${policy} with retries: node_retry once per retry, then one terminal event`, async () => {
        const behave: Record<string, Behavior> = { [FIRST[kind]]: { failTimes: 1 }, [FAILING[kind]]: { failTimes: Infinity } };
        const { result, events } = await runAndRecord(shape(kind, new Probe(), behave), {
          continueOnError: policy === "continueOnError", retry: { maxRetries: 2, delayMs: 1, jitter: 0 },
        });
        expectConsistent(result, events);
        expect(namesOf(events, "node_retry")).toEqual([FAILING[kind], FAILING[kind], FIRST[kind]].sort());
        const retries = events.filter((e) => e.type === "node_retry").map((e) => e.payload as EventPayloads["node_retry"]);
        expect(retries.map((r) => [r.stepName, r.attempt, r.retryCount])).toEqual([[FIRST[kind], 1, 1], [FAILING[kind], 1, 1], [FAILING[kind], 2, 2]]);
        expect(events.find((e) => e.type === "node_error")?.payload).toMatchObject({ stepName: FAILING[kind], attempts: 3, retryCount: 2 });
        expect(events.find((e) => stepOf(e) === FIRST[kind] && e.type === "node_complete")?.payload).toMatchObject({ attempts: 2 });
        expect(namesOf(events, "node_skipped")).toEqual(EXPECTED[policy][kind].skipped);
      });
    }
  }

  it("a flaky node that recovers: pipeline_complete, one node_retry, no node_error", async () => {
    const { result, events } = await runAndRecord(shape("diamond", new Probe(), { c: { failTimes: 1 } }), { maxRetries: 1, retry: { delayMs: 1 } });
    expectConsistent(result, events);
    expect(result.status).toBe("success");
    expect(namesOf(events, "node_retry")).toEqual(["c"]);
    expect(namesOf(events, "node_error")).toEqual([]);
  });

  it("an interrupt: the running node's node_error (interrupted) and aborted skips for the rest, each once", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("Ctrl-C")), 30);
    const { result, events } = await runAndRecord(shape("chain", new Probe(), { a: { delayMs: 5_000 } }), {}, controller.signal);
    expectConsistent(result, events);
    expect(events.find((e) => e.type === "node_error")?.payload).toMatchObject({ stepName: "a", statusReason: "interrupted" });
    expect(namesOf(events, "node_skipped")).toEqual(["b", "c", "d"]);
    for (const e of events.filter((x) => x.type === "node_skipped")) expect(e.payload).toMatchObject({ kind: "aborted", statusReason: "interrupted" });
    expect(events.at(-1)?.payload).toMatchObject({ status: "failed", interrupted: true });
  });

  it("every event's payload is frozen, with the run's fields first: timestamp, pipelineName, runId, batchRunId, then its own", async () => {
    const { result, events } = await runAndRecord(shape("diamond", new Probe()));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["pipeline_start", "node_start", "node_complete", "pipeline_complete"]));
    for (const { payload } of events) {
      expect(Object.isFrozen(payload)).toBe(true);
      expect(Object.keys(payload).slice(0, 4)).toEqual(["timestamp", "pipelineName", "runId", "batchRunId"]);
      expect(payload).toMatchObject({ pipelineName: result.pipelineName, runId: result.runId, batchRunId: result.batchRunId });
    }
    const start = events.find((e) => e.type === "node_start" && stepOf(e) === "d")?.payload;
    expect(Object.keys(start ?? {})).toEqual(["timestamp", "pipelineName", "runId", "batchRunId", "stepName", "layer", "inputs", "outputs", "cacheKey", "cacheMiss"]);
    expect(start).toMatchObject({ stepName: "d", inputs: ["b", "c"], outputs: ["d"] });
    const complete = events.find((e) => e.type === "node_complete" && stepOf(e) === "d")?.payload;
    expect(Object.keys(complete ?? {})).toEqual([
      "timestamp", "pipelineName", "runId", "batchRunId", "stepName", "layer", "status", "durationMs", "rowCount", "attempts", "outputs", "checks", "cacheKey", "columnLineage",
    ]);
  });

  it("node events carry the step's layer and node_complete its rows", async () => {
    const probe = new Probe();
    const steps: Step[] = [{ ...shape("chain", probe)[0] as Step, layer: "ingest" }];
    const { events } = await runAndRecord(steps);
    expect(events.find((e) => e.type === "node_complete")?.payload).toMatchObject({ stepName: "a", layer: "ingest", status: "success", rowCount: 1, outputs: { a: 1 } });
  });

  it("the consistency check itself catches a duplicated, a missing and a misplaced event", async () => {
    const { result, events } = await runAndRecord(shape("diamond", new Probe(), { b: { failTimes: Infinity } }), { continueOnError: true, retry: { maxRetries: 1, delayMs: 1 } });
    expectConsistent(result, events);
    const at = (type: EventType): number => events.findIndex((e) => e.type === type);
    const complete = events[at("node_complete")] as Seen;
    expect(() => expectConsistent(result, [...events, complete])).toThrow();
    expect(() => expectConsistent(result, events.filter((_, i) => i !== at("node_start")))).toThrow();
    expect(() => expectConsistent(result, events.filter((_, i) => i !== at("node_retry")))).toThrow();
    const early = events.filter((_, i) => i !== at("node_error"));
    early.splice(at("node_retry"), 0, events[at("node_error")] as Seen);
    expect(() => expectConsistent(result, early)).toThrow();
  });

  it("counts node_cached once per cache hit, with no node_start, and node_start with the miss reason for the rest", async () => {
    const baseDir = tempDir();
    const options = { baseDir, cache: true, checkpoint: true };
    const first = await runAndRecord(sqlShape(), options);
    expectConsistent(first.result, first.events);
    const starts = first.events.filter((e) => e.type === "node_start").map((e) => (e.payload as EventPayloads["node_start"]).cacheMiss);
    expect(new Set(starts)).toEqual(new Set(["no cache entry for its key"]));
    const changed = sqlShape().map((s): Step => (s.name === "c" ? { name: "c", inputs: ["a"], outputs: ["c"], sql: "SELECT n + 1 AS n FROM a" } : s));
    const second = await runAndRecord(changed, options);
    expectConsistent(second.result, second.events);
    expect(namesOf(second.events, "node_cached")).toEqual(["a", "b"]);
    expect(namesOf(second.events, "node_start")).toEqual(["c", "d"]);
    for (const e of second.events.filter((x) => x.type === "node_cached")) {
      expect((e.payload as EventPayloads["node_cached"]).reusedFrom).toBe("cache");
    }
  });
});
