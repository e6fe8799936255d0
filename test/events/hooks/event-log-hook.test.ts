import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventBus, InvalidOptionsError, createEventLogHook, type EventLogHookOptions, type EventPayloads, type EventType } from "../../../src/index.js";
import { toJsonSafe } from "../../../src/util/json-safe.js";
import { Probe, node } from "../../helpers/dag-shapes.js";
import { tempDir, testOrchestrator } from "../../helpers/temp-dir.js";

function readLines(path: string): Array<Record<string, unknown>> {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

const START: EventPayloads["pipeline_start"] = {
  pipelineName: "p", runId: "run-1", batchRunId: "b", timestamp: "2026-01-01T00:00:00.000Z", stepCount: 1, steps: ["only"], maxWorkers: 1, continueOnError: false, runAttempt: 1,
};

describe("createEventLogHook", () => {
  it("appends every event of a run as one JSON line, in emission order, type first", async () => {
    const path = join(tempDir(), "logs", "nested", "events.jsonl");
    const bus = new EventBus();
    const seen: Array<{ type: EventType; payload: unknown }> = [];
    bus.registerHook("*", createEventLogHook({ path }));
    bus.registerHook("*", (payload, { eventType }) => void seen.push({ type: eventType, payload }));
    const probe = new Probe();
    const steps = [node(probe, "a"), node(probe, "b", ["a"], { failTimes: 1 })];
    const result = await testOrchestrator({ steps, eventBus: bus, maxWorkers: 1, retry: { maxRetries: 1, delayMs: 1 } }).execute();
    const lines = readLines(path);
    expect(lines.map((l) => l.type)).toEqual([
      "pipeline_start", "node_start", "node_complete", "node_start", "node_retry", "node_complete", "pipeline_complete",
    ]);
    expect(lines).toEqual(seen.map((e) => toJsonSafe({ type: e.type, ...(e.payload as object) })));
    expect(lines[1]).toMatchObject({ stepName: "a", layer: null });
    expect(Object.keys(lines[0] ?? {})[0]).toBe("type");
    for (const line of lines) expect(line).toMatchObject({ pipelineName: "test", runId: result.runId });
    expect(lines[4]).toMatchObject({ stepName: "b", attempt: 1, retryCount: 1, errorMessage: 'Step "b" failed: b failed on attempt 1' });
  });

  it("appends the runs after one another rather than replacing the file", async () => {
    const path = join(tempDir(), "events.jsonl");
    const bus = new EventBus();
    bus.registerHook("*", createEventLogHook({ path }));
    const orchestrator = testOrchestrator({ steps: [node(new Probe(), "x")], eventBus: bus });
    const first = await orchestrator.execute();
    const second = await orchestrator.execute();
    const lines = readLines(path);
    expect(lines).toHaveLength(8);
    expect(lines.map((l) => l.runId)).toEqual([...Array(4).fill(first.runId), ...Array(4).fill(second.runId)]);
  });

  it("writes what JSON cannot hold: big bigints as strings, NaN as a string, Dates as ISO, undefined as null", async () => {
    const path = join(tempDir(), "events.jsonl");
    const hook = createEventLogHook({ path });
    const odd = { ...START, big: 2n ** 70n, small: 7n, nan: NaN, at: new Date("2026-01-02T03:04:05Z"), missing: undefined };
    await hook(odd as never, { eventType: "pipeline_start", signal: new AbortController().signal });
    const [line] = readLines(path);
    expect(line).toEqual({
      type: "pipeline_start", ...START, big: "1180591620717411303424", small: 7, nan: "NaN", at: "2026-01-02T03:04:05.000Z", missing: null,
    });
  });

  it("needs a path", () => {
    expect(() => createEventLogHook({} as EventLogHookOptions)).toThrow(new InvalidOptionsError(
      "path", 'createEventLogHook needs `path`, the file to append events to, e.g. { path: "lineage-out/events.jsonl" }.',
    ));
  });

  it("a log it cannot write becomes a hook warning, the run goes on", async () => {
    const dir = tempDir();
    const bus = new EventBus();
    bus.registerHook("pipeline_start", createEventLogHook({ path: dir }), undefined, { name: "log" }); // a folder, not a file
    const result = await testOrchestrator({ steps: [node(new Probe(), "x")], eventBus: bus }).execute();
    expect(result.status).toBe("success");
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^hook "log" failed on pipeline_start: EISDIR: illegal operation on a directory/)]);
  });
});
