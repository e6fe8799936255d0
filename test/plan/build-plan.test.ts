import { createHash } from "node:crypto";
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

/** A seeded DAG of `count` steps (up to 3 inputs from earlier steps), declared in a shuffled order when asked. */
function randomDag(count: number, shuffled: boolean): Step[] {
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const steps: Step[] = Array.from({ length: count }, (_, i) => {
    const inputs = new Set<string>();
    for (let k = 0; i > 0 && k < 1 + Math.floor(random() * 3); k++) inputs.add(`d${Math.floor(random() * i)}`);
    return { name: `s${i}`, layer: i % 7 === 0 ? 'say "hi" \\ ü' : undefined, inputs: i % 5 === 0 ? Object.fromEntries([...inputs].map((d, k) => [`in_${k}`, d])) : [...inputs], outputs: i % 11 === 0 ? [`d${i}`, `extra${i}`] : [`d${i}`], run: () => [{ i }] };
  });
  if (!shuffled) return steps;
  for (let i = steps.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [steps[i], steps[j]] = [steps[j] as Step, steps[i] as Step];
  }
  return steps;
}

/** The plan's order by the definition: Kahn's algorithm taking the smallest declaration index ready. */
function referenceOrder(steps: readonly Step[]): string[] {
  const producer = new Map<string, number>();
  steps.forEach((s, i) => s.outputs?.forEach((d) => producer.set(d, i)));
  const inputsOf = (s: Step): string[] => (Array.isArray(s.inputs) ? s.inputs : Object.values(s.inputs ?? {})) as string[];
  const ups = steps.map((s) => new Set(inputsOf(s).map((d) => producer.get(d)).filter((i): i is number => i !== undefined)));
  const done = new Set<number>();
  const order: string[] = [];
  while (order.length < steps.length) {
    const next = steps.findIndex((_, i) => !done.has(i) && [...(ups[i] as Set<number>)].every((u) => done.has(u)));
    done.add(next);
    order.push((steps[next] as Step).name);
  }
  return order;
}

describe("plan order and fingerprint at scale", () => {
  it("orders steps declared in dependency order, and shuffled ones, as Kahn's algorithm by declaration index does", () => {
    for (const shuffled of [false, true]) {
      const steps = randomDag(300, shuffled);
      expect(planOf(steps).order).toEqual(referenceOrder(steps));
    }
  });

  it("fingerprints the documented text: sha256 of JSON.stringify([name, [[step, layer, [[local, dataset]...], outputs, kind]...]])", () => {
    // 4,000 steps: a text longer than the 64 KB hashed at a time.
    const steps = randomDag(4000, true);
    const orchestrator = new Orchestrator({ name: 'pipe "x"', steps });
    const text = JSON.stringify(['pipe "x"', steps.map((s) => [
      s.name, s.layer ?? null,
      Array.isArray(s.inputs) ? s.inputs.map((d) => [d, d]) : Object.entries(s.inputs ?? {}),
      s.outputs, "run",
    ])]);
    expect(text.length).toBeGreaterThan(70_000);
    expect(orchestrator.plan().batchRunId).toBe(`batch-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`);
  });

  it("gives layers, steps and edges as plain enumerable properties, made when first read", () => {
    const plan = planOf(shape("diamond", new Probe()));
    expect(Object.keys(plan)).toEqual(["batchRunId", "pipelineName", "order", "layers", "steps", "sources", "edges"]);
    const copy = JSON.parse(JSON.stringify(plan)) as typeof plan;
    expect(copy.layers).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(copy.edges).toHaveLength(4);
    expect({ ...plan }).toEqual(copy);
    expect(structuredClone(plan)).toEqual(copy);
    // Read once, the same arrays every time after.
    expect(plan.steps).toBe(plan.steps);
    expect(Object.getOwnPropertyDescriptor(plan, "steps")).toMatchObject({ enumerable: true, writable: false });
    // Frozen before they are read, they are still there, the same each time.
    const frozen = Object.freeze(planOf(shape("diamond", new Probe())));
    expect(frozen.layers).toEqual([["a"], ["b", "c"], ["d"]]);
    expect(frozen.edges).toBe(frozen.edges);
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
