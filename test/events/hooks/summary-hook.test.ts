import { afterEach, describe, expect, it, vi } from "vitest";
import { EventBus, createSummaryHook, formatRunSummary, type Step } from "../../../src/index.js";
import { Probe, node, shape } from "../../helpers/dag-shapes.js";
import { DURATION, DURATION_ONLY } from "../../helpers/duration.js";
import { testOrchestrator } from "../../helpers/temp-dir.js";

function busWithSummary(): { bus: EventBus; written: string[] } {
  const bus = new EventBus();
  const written: string[] = [];
  bus.registerHook("*", createSummaryHook({ write: (text) => void written.push(text) }));
  return { bus, written };
}

describe("createSummaryHook", () => {
  it("writes, when a run ends, the same summary as formatRunSummary(result)", async () => {
    const { bus, written } = busWithSummary();
    const result = await testOrchestrator({ steps: shape("diamond", new Probe()), eventBus: bus, maxWorkers: 1 }).execute();
    expect(written).toEqual([formatRunSummary(result)]);
    expect(written[0]?.split("\n")).toHaveLength(1 + 2 + 4);
  });

  it("notes failures, tries and skips", async () => {
    const { bus, written } = busWithSummary();
    const probe = new Probe();
    const steps = [node(probe, "a"), node(probe, "b", ["a"], { failTimes: Infinity }), node(probe, "c", ["b"]), node(probe, "d", [], { failTimes: 1 })];
    await testOrchestrator({ steps, eventBus: bus, maxWorkers: 1, continueOnError: true, retry: { maxRetries: 1, delayMs: 1 } }).execute();
    const lines = (written[0] ?? "").split("\n");
    expect(lines[0]).toMatch(new RegExp(String.raw`^test: failed in ${DURATION} \(2 success, 1 failed, 1 skipped\)$`));
    expect(lines[1]).toMatch(/^step\s+layer\s+status\s+rows\s+time\s+tries\s+note$/);
    const rowOf = (step: string): string[] => (lines.find((l) => l.startsWith(`${step} `)) ?? "").split(/\s{2,}/);
    expect(rowOf("a")).toEqual(["a", "success", "1", expect.stringMatching(DURATION_ONLY)]);
    expect(rowOf("b")).toEqual(["b", "failed", expect.stringMatching(DURATION_ONLY), "2", 'Step "b" failed: b failed on attempt 2']);
    expect(rowOf("c")).toEqual(["c", "skipped", "blocked by b"]);
    expect(rowOf("d")).toEqual(["d", "success", "1", expect.stringMatching(DURATION_ONLY), "2"]);
    expect(lines.slice(3).map((l) => l.split(" ")[0])).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps concurrent runs on one bus apart", async () => {
    const { bus, written } = busWithSummary();
    const make = (name: string, prefix: string) => {
      const probe = new Probe();
      const steps: Step[] = [0, 1, 2].map((i) => node(probe, `${prefix}${i}`, [], { delayMs: 10 * (3 - i) }));
      return testOrchestrator({ name, steps, eventBus: bus });
    };
    await Promise.all([make("left", "l").execute(), make("right", "r").execute()]);
    expect(written).toHaveLength(2);
    const byName = Object.fromEntries(written.map((w) => [w.split(":")[0], w]));
    expect(byName.left).toMatch(new RegExp(String.raw`^left: success in ${DURATION} \(3 success\)\n`));
    expect(byName.right).toMatch(new RegExp(String.raw`^right: success in ${DURATION} \(3 success\)\n`));
    // Plan order, although these steps finish in reverse order.
    const stepsOf = (text = ""): string[] => text.split("\n").slice(3).map((l) => l.split(" ")[0] ?? "");
    expect(stepsOf(byName.left)).toEqual(["l0", "l1", "l2"]);
    expect(stepsOf(byName.right)).toEqual(["r0", "r1", "r2"]);
  });

  it("writes the headline alone when registered only for the pipeline's end events", async () => {
    const bus = new EventBus();
    const written: string[] = [];
    bus.registerHook(["pipeline_complete", "pipeline_error"], createSummaryHook({ write: (t) => void written.push(t) }));
    await testOrchestrator({ steps: shape("chain", new Probe()), eventBus: bus }).execute();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(new RegExp(String.raw`^test: success in ${DURATION} \(4 success\)$`));
  });

  describe("by default", () => {
    afterEach(() => void vi.restoreAllMocks());

    it("prints with console.log", async () => {
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      const bus = new EventBus();
      bus.registerHook("*", createSummaryHook());
      await testOrchestrator({ steps: [node(new Probe(), "only")], eventBus: bus }).execute();
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toMatch(new RegExp(String.raw`^test: success in ${DURATION} \(1 success\)\nstep `));
    });
  });

  it("reports a failing write as a hook warning, without changing the run", async () => {
    const bus = new EventBus();
    bus.registerHook("*", createSummaryHook({ write: () => { throw new Error("disk full"); } }));
    const result = await testOrchestrator({ steps: [node(new Probe(), "only")], eventBus: bus }).execute();
    expect(result.status).toBe("success");
    expect(result.warnings.map((w) => w.message)).toEqual(['hook "summaryHook" failed on pipeline_complete: disk full']);
  });
});
