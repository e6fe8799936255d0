import { describe, expect, it } from "vitest";
import {
  CycleError, DuplicateOutputError, DuplicateStepError, LineaError, MissingInputError, Orchestrator, PlanError, type Row, type Step,
} from "../../src/index.js";

const run = (): Row[] => [];
const plan = (steps: Step[], sources: string[] = []) => new Orchestrator({ name: "p", steps }).plan({ sources });

function planError(steps: Step[], sources: string[] = []): PlanError {
  try {
    plan(steps, sources);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toBeInstanceOf(LineaError);
    return error as PlanError;
  }
  throw new Error("expected a PlanError");
}

describe("planning errors", () => {
  it("names both steps of a duplicate output", () => {
    const error = planError([
      { name: "load_a", outputs: ["orders"], run },
      { name: "load_b", outputs: ["orders"], run },
    ]) as DuplicateOutputError;
    expect(error).toBeInstanceOf(DuplicateOutputError);
    expect(error.code).toBe("DUPLICATE_OUTPUT");
    expect(error.dataset).toBe("orders");
    expect(error.steps).toEqual(["load_a", "load_b"]);
    expect(error.message).toBe(
      'Duplicate output "orders" is produced by steps "load_a", "load_b". ' +
        "Each dataset has exactly one producer: rename all but one of these outputs.",
    );
  });

  it("lists every duplicated dataset, sorted", () => {
    const error = planError([
      { name: "a", outputs: ["y", "x"], run },
      { name: "b", outputs: ["x", "y"], run },
    ]) as DuplicateOutputError;
    expect(error.duplicates.map((d) => d.dataset)).toEqual(["x", "y"]);
    expect(error.message).toContain('"x" is produced by steps "a", "b"; "y" is produced by steps "a", "b"');
  });

  it("refuses a source that a step also produces", () => {
    const error = planError([{ name: "a", outputs: ["orders"], run }], ["orders"]);
    expect(error.message).toBe(
      'Duplicate output "orders" is produced by step "a" and also given as a source. ' +
        "Each dataset has exactly one producer: rename all but one of these outputs.",
    );
  });

  it("gives a cycle in data-flow order", () => {
    const error = planError([
      { name: "start", outputs: ["s"], run },
      { name: "a", inputs: ["c_out", "s"], outputs: ["a_out"], run },
      { name: "b", inputs: ["a_out"], outputs: ["b_out"], run },
      { name: "c", inputs: ["b_out"], outputs: ["c_out"], run },
    ]) as CycleError;
    expect(error).toBeInstanceOf(CycleError);
    expect(error.code).toBe("CYCLE");
    expect(error.cycle).toEqual(["a", "b", "c", "a"]);
    expect(error.message).toBe(
      "Cycle in the pipeline: a -> b -> c -> a. Each step here needs an output of the next; remove one of these inputs.",
    );
  });

  it("finds a two-step cycle behind an acyclic part", () => {
    const error = planError([
      { name: "x", outputs: ["x"], run },
      { name: "q", inputs: ["x", "p"], outputs: ["q"], run },
      { name: "p", inputs: ["q"], outputs: ["p"], run },
    ]) as CycleError;
    expect(error.cycle).toEqual(["q", "p", "q"]);
  });

  it("names the step, the dataset and the closest names of a missing input", () => {
    const error = planError([
      { name: "read_orders", outputs: ["raw_orders"], run },
      { name: "clean", inputs: { o: "raw_order" }, outputs: ["clean_orders"], run },
    ]) as MissingInputError;
    expect(error).toBeInstanceOf(MissingInputError);
    expect(error.code).toBe("MISSING_INPUT");
    expect(error.stepName).toBe("clean");
    expect(error.dataset).toBe("raw_order");
    expect(error.suggestions).toEqual(["raw_orders"]);
    expect(error.message).toBe(
      'Missing input "raw_order" of step "clean" (did you mean "raw_orders"?): no step produces it and it is not a source. ' +
        "Add a step that outputs it, or pass it in execute({ sources }).",
    );
  });

  it("asks for a source when no step produces an input", () => {
    const error = planError([{ name: "report", inputs: ["customers"], outputs: ["r"], run }]) as MissingInputError;
    expect(error.message).toBe(
      'Missing input "customers" of step "report": no step produces it and it is not a source. ' +
        "Add a step that outputs it, or pass it in execute({ sources }).",
    );
    expect(() => plan([{ name: "report", inputs: ["customers"], outputs: ["r"], run }], ["customers"])).not.toThrow();
  });

  it("lists every missing input sorted by step", () => {
    const error = planError([
      { name: "z", inputs: ["nope"], outputs: ["z"], run },
      { name: "a", inputs: ["gone", "zz"], outputs: ["a"], run },
    ]) as MissingInputError;
    expect(error.missing.map((m) => `${m.stepName}:${m.dataset}`)).toEqual(["a:gone", "a:zz", "z:nope"]);
  });

  it("names a duplicate step and its positions", () => {
    const error = planError([
      { name: "a", outputs: ["x"], run },
      { name: "b", outputs: ["y"], run },
      { name: "a", outputs: ["z"], run },
    ]) as DuplicateStepError;
    expect(error).toBeInstanceOf(DuplicateStepError);
    expect(error.message).toBe('Duplicate step name "a": declared at positions 0, 2. Give each step a unique name.');
  });

  it("fails execute() before anything runs", async () => {
    let ran = false;
    const orchestrator = new Orchestrator({
      cache: false,
      checkpoint: false,
      historyDb: false,
      name: "p",
      steps: [
        { name: "a", outputs: ["x"], run: () => ((ran = true), []) },
        { name: "b", inputs: ["missing"], outputs: ["y"], run },
      ],
    });
    await expect(orchestrator.execute()).rejects.toBeInstanceOf(MissingInputError);
    expect(ran).toBe(false);
  });
});
