import { describe, expect, it } from "vitest";
import { defineStep, Orchestrator, StepDefinitionError, stepProblems, type Row, type Step } from "../../src/index.js";
import { isValidName, ruleProblems } from "../../src/step/validate-step.js";
import { NAME_PATTERN } from "../../src/step/step.js";

const run = (): Row[] => [];

function definitionError(step: unknown): StepDefinitionError {
  try {
    defineStep(step as Step);
  } catch (error) {
    expect(error).toBeInstanceOf(StepDefinitionError);
    return error as StepDefinitionError;
  }
  throw new Error("expected a StepDefinitionError");
}

describe("step validation at declaration", () => {
  it("accepts each kind of body", () => {
    expect(stepProblems({ name: "a", outputs: ["x"], run })).toEqual([]);
    expect(stepProblems({ name: "b", inputs: { o: "x" }, outputs: ["y"], sql: "SELECT * FROM o" })).toEqual([]);
    expect(stepProblems({ name: "c", outputs: ["raw"], read: "fixtures/orders.csv" })).toEqual([]);
    expect(stepProblems({ name: "d", inputs: ["raw"], write: { path: "out/orders.data", format: "parquet" } })).toEqual([]);
  });

  it("pins the message of a name with bad characters", () => {
    expect(definitionError({ name: "my step", outputs: ["x"], run }).message).toBe(
      'Invalid step "my step": its name "my step" has characters other than letters, digits, "_", "." and "-".',
    );
    expect(stepProblems({ name: "..", outputs: ["x"], run })).toEqual([
      'its name ".." has characters other than letters, digits, "_", "." and "-"',
    ]);
  });

  it("requires exactly one body", () => {
    expect(definitionError({ name: "none", outputs: ["x"] }).message).toBe(
      'Invalid step "none": it has no body; give exactly one of sql, run, read, write.',
    );
    expect(definitionError({ name: "two", outputs: ["x"], run, sql: "SELECT 1" }).problems).toEqual([
      "it has 2 bodies (sql, run); give exactly one of sql, run, read, write",
    ]);
  });

  it("refuses a step that reads its own output", () => {
    expect(definitionError({ name: "loop", inputs: ["x"], outputs: ["x"], run }).message).toBe(
      'Invalid step "loop": it reads its own output "x".',
    );
  });

  it("checks the shapes of inputs and outputs", () => {
    expect(stepProblems({ name: "a", inputs: "x", outputs: ["y"], run })).toEqual([
      "`inputs` must be { localName: datasetName } or a list of dataset names",
    ]);
    expect(stepProblems({ name: "a", inputs: { o: 3 }, outputs: ["y"], run })).toEqual(["`inputs.o` must be a dataset name, got 3"]);
    expect(stepProblems({ name: "a", inputs: ["x", "x"], outputs: ["y"], run })).toEqual(['`inputs` lists "x" more than once']);
    expect(stepProblems({ name: "a", outputs: "y", run })).toEqual(["`outputs` must be a list of dataset names"]);
    expect(stepProblems({ name: "a", outputs: ["y", "bad name"], run })).toEqual(['`outputs` has invalid dataset names: "bad name"']);
  });

  it("reports an unknown field with the closest known one", () => {
    expect(definitionError({ name: "a", ouputs: ["x"], run }).problems).toEqual(['unknown field "ouputs" (did you mean "outputs"?)']);
  });

  it("checks arity of read, write and sql steps", () => {
    expect(stepProblems({ name: "r", inputs: ["x"], outputs: ["a", "b"], read: "f.csv" })).toEqual([
      "a read step takes no inputs",
      "a read step has exactly one output, got 2",
    ]);
    expect(stepProblems({ name: "w", outputs: ["a"], write: "f.csv" })).toEqual([
      "a write step has exactly one input, got 0",
      "a write step has no outputs (it writes a file)",
    ]);
    expect(stepProblems({ name: "s", sql: "SELECT 1" })).toEqual(["a sql step has exactly one output, got 0"]);
  });

  it("needs a format it can tell for files", () => {
    expect(stepProblems({ name: "r", outputs: ["a"], read: "data.txt" })).toEqual([
      'cannot tell the format of "data.txt" from its extension; give { path, format }',
    ]);
    expect(stepProblems({ name: "r", outputs: ["a"], read: { path: "data.txt", format: "xml" } })).toEqual([
      '`read.format` must be one of csv, parquet, json, got "xml"',
    ]);
  });

  it("checks engine, options and retry", () => {
    expect(stepProblems({ name: "a", outputs: ["x"], run, engine: "pandas" })).toEqual([
      '`engine` must be one of duckdb, arrow, danfo, rows, got "pandas"',
    ]);
    expect(stepProblems({ name: "a", outputs: ["x"], sql: "SELECT 1", engine: "arrow" })).toEqual(["`engine` applies only to run steps"]);
    expect(stepProblems({ name: "a", outputs: ["x"], run, timeoutMs: -1, cache: "sometimes", retry: { maxRetries: 1.5, jitter: 2 } })).toEqual([
      "`timeoutMs` must be a positive number of milliseconds, got -1",
      '`cache` must be one of default, recompute, disable, got "sometimes"',
      "`retry.maxRetries` must be a whole number from 0 and up, got 1.5",
      "`retry.jitter` must be a number from 0 to 1, got 2",
    ]);
  });

  it("checks data checks against the outputs", () => {
    expect(stepProblems({ name: "a", outputs: ["x"], run, checks: [{ kind: "not_null" }] })).toEqual([
      "`checks[0].column` must be a column name",
    ]);
    expect(stepProblems({ name: "a", outputs: ["x", "y"], run, checks: [{ kind: "row_count", min: 1 }] })).toEqual([
      "`checks[0]` must name its `dataset`: the step has 2 outputs",
    ]);
    expect(stepProblems({ name: "a", outputs: ["x"], run, checks: [{ kind: "unique", column: "id", dataset: "z" }] })).toEqual([
      '`checks[0].dataset` "z" is not an output of the step',
    ]);
  });

  it("lists every problem of a step in one error", () => {
    const error = definitionError({ name: "bad", inputs: ["x"], outputs: ["x"], run, cache: "never" });
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe(
      'Invalid step "bad": it reads its own output "x"; `cache` must be one of default, recompute, disable, got "never".',
    );
  });

  it("validates plain-object steps when the orchestrator is built", () => {
    expect(() => new Orchestrator({ name: "p", steps: [{ name: "a", outputs: ["x"] } as unknown as Step] })).toThrow(
      'Invalid step "a": it has no body; give exactly one of sql, run, read, write.',
    );
  });

  it("names an unnamed step by its position", () => {
    expect(() => new Orchestrator({ name: "p", steps: [{ name: "ok", outputs: ["x"], run }, { outputs: ["y"], run } as unknown as Step] })).toThrow(
      'Invalid step "#1": it has no `name`; give it a unique name.',
    );
  });
});

describe("stepProblems' one-pass check of the usual shape", () => {
  it("finds exactly what the rules find, over thousands of valid and broken variants of usual steps", () => {
    const fn = (): unknown[] => [];
    const names: unknown[] = ["a", "b", "a.b-c_1", "", "..", "a b", 3, undefined, null];
    const lists: unknown[] = [undefined, [], ["a"], ["a", "b"], ["a", "a"], ["b", "c"], ["bad name"], "a", { x: "a" }, [3]];
    const bodies: Array<Record<string, unknown>> = [
      { run: fn }, { sql: "SELECT 1" }, { sql: "  " }, { sql: 3 }, { run: "not a function" }, {}, { run: fn, sql: "SELECT 1" },
      { read: "x.csv" }, { run: fn, engine: "arrow" }, { run: fn, tags: ["t"] },
    ];
    const extras: Array<Record<string, unknown>> = [{}, { description: "d" }, { description: 3 }, { layer: "l" }, { layer: 3 }, { nmae: "typo" }, { params: {} }, { columns: { a: { x: "BIGINT" } } }];
    let checked = 0;
    for (const name of names) {
      for (const inputs of lists) {
        for (const outputs of lists) {
          for (const body of bodies) {
            for (const extra of extras) {
              const step: Record<string, unknown> = { name, ...body, ...extra };
              if (inputs !== undefined) step.inputs = inputs;
              if (outputs !== undefined) step.outputs = outputs;
              expect(stepProblems(step), JSON.stringify(step)).toEqual(ruleProblems(step));
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBe(names.length * lists.length ** 2 * bodies.length * extras.length);
  });
});

describe("isValidName", () => {
  it("agrees with its definition (NAME_PATTERN, and not only dots) on every short string over the characters around its classes", () => {
    const alphabet = ["a", "z", "A", "Z", "0", "9", "_", ".", "-", "/", "\\", " ", "@", "`", "[", "{", ":", "ü", "\u0000", "\u{1F600}"];
    const byDefinition = (name: string): boolean => NAME_PATTERN.test(name) && !/^\.+$/.test(name);
    let checked = 0;
    const visit = (prefix: string, depth: number): void => {
      expect(isValidName(prefix), JSON.stringify(prefix)).toBe(byDefinition(prefix));
      checked++;
      if (depth === 0) return;
      for (const c of alphabet) visit(prefix + c, depth - 1);
    };
    visit("", 3);
    expect(checked).toBe(1 + 20 + 400 + 8000);
    for (const other of [undefined, null, 3, ["a"], { name: "a" }]) expect(isValidName(other)).toBe(false);
  });
});
