import { describe, expect, it } from "vitest";
import { Orchestrator, planToMermaid, type Step } from "../../src/index.js";
import { Probe, shape } from "../helpers/dag-shapes.js";

function planOf(steps: Step[], sources: string[] = []) {
  return new Orchestrator({ name: "p", steps }).plan({ sources });
}

describe("plan shapes", () => {
  it("orders a chain and gives one step per layer", () => {
    const plan = planOf(shape("chain", new Probe()));
    expect(plan.order).toEqual(["a", "b", "c", "d"]);
    expect(plan.layers).toEqual([["a"], ["b"], ["c"], ["d"]]);
    expect(plan.steps.map((s) => [s.name, s.upstream])).toEqual([["a", []], ["b", ["a"]], ["c", ["b"]], ["d", ["c"]]]);
  });

  it("puts both branches of a diamond in one layer and the join after them", () => {
    const plan = planOf(shape("diamond", new Probe()));
    expect(plan.order).toEqual(["a", "b", "c", "d"]);
    expect(plan.layers).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(plan.steps.find((s) => s.name === "d")?.upstream).toEqual(["b", "c"]);
    expect(plan.steps.find((s) => s.name === "a")?.downstream).toEqual(["b", "c"]);
  });

  it("fans out and in", () => {
    const plan = planOf(shape("fan", new Probe()));
    expect(plan.layers).toEqual([["src"], ["m1", "m2", "m3", "m4"], ["sink"]]);
    expect(plan.edges.filter((e) => e.to === "sink").map((e) => e.from)).toEqual(["m1", "m2", "m3", "m4"]);
  });

  it("keeps a wide pipeline of independent steps in declaration order", () => {
    const plan = planOf(shape("wide", new Probe()));
    expect(plan.layers).toHaveLength(1);
    expect(plan.order).toEqual(plan.layers[0]);
  });

  it("breaks ties by declaration order, not by name", () => {
    const probe = new Probe();
    const steps: Step[] = [
      { name: "zeta", outputs: ["z"], run: probe.body("zeta") },
      { name: "alpha", outputs: ["a"], run: probe.body("alpha") },
      { name: "join", inputs: ["a", "z"], outputs: ["j"], run: probe.body("join") },
      { name: "mid", inputs: ["z"], outputs: ["m"], run: probe.body("mid") },
    ];
    const plan = planOf(steps);
    expect(plan.order).toEqual(["zeta", "alpha", "join", "mid"]);
    expect(plan.layers).toEqual([["zeta", "alpha"], ["join", "mid"]]);
  });

  it("is deterministic: the same steps give the same plan, batchRunId included", () => {
    const a = planOf(shape("diamond", new Probe()));
    const b = planOf(shape("diamond", new Probe()));
    expect(b).toEqual(a);
    expect(a.batchRunId).toMatch(/^batch-[0-9a-f]{16}$/);
    const c = planOf(shape("chain", new Probe()));
    expect(c.batchRunId).not.toBe(a.batchRunId);
  });

  it("lists datasets that no step produces as sources", () => {
    const probe = new Probe();
    const plan = planOf([{ name: "use", inputs: { o: "orders" }, outputs: ["x"], run: probe.body("use") }], ["orders"]);
    expect(plan.sources).toEqual(["orders"]);
    expect(plan.steps[0]?.upstream).toEqual([]);
  });

  it("plans 10,000 steps", () => {
    const probe = new Probe();
    const steps: Step[] = Array.from({ length: 10_000 }, (_, i) => ({
      name: `s${i}`,
      inputs: i === 0 ? [] : [`d${Math.floor(i / 2)}`, `d${i - 1}`].filter((v, k, all) => all.indexOf(v) === k),
      outputs: [`d${i}`],
      run: probe.body(`s${i}`),
    }));
    const plan = planOf(steps);
    expect(plan.order).toHaveLength(10_000);
    expect(plan.order[0]).toBe("s0");
    expect(plan.order.at(-1)).toBe("s9999");
  });
});

describe("planToMermaid", () => {
  it("draws steps, sources and dataset edges", () => {
    const probe = new Probe();
    const plan = planOf(
      [
        { name: "clean", inputs: { o: "orders" }, outputs: ["clean_orders"], run: probe.body("clean") },
        { name: "report", inputs: ["clean_orders"], outputs: ["report"], run: probe.body("report") },
      ],
      ["orders"],
    );
    expect(planToMermaid(plan)).toBe(
      [
        "flowchart LR",
        '  d0(["orders"])',
        '  s0["clean"]',
        '  s1["report"]',
        "  s0 -->|clean_orders| s1",
        "  d0 --> s0",
      ].join("\n"),
    );
  });

  it("colors nodes by status when given", () => {
    const plan = planOf(shape("chain", new Probe()));
    const text = planToMermaid(plan, { statuses: { a: "success", b: "failed" } });
    expect(text).toContain("classDef failed fill:#ffcdd2");
    expect(text).toContain("class s1 failed");
  });
});
