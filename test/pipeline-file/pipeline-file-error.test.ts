import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LineaError, loadPipeline, PipelineFileError } from "../../src/index.js";
import { ROOT, tempDir } from "../helpers/temp-dir.js";

const INVALID = "test/fixtures-pipelines/invalid";

/** The error loading `file` (relative to the repository root) throws. */
async function loadError(file: string, cwd = ROOT): Promise<PipelineFileError> {
  const error: unknown = await loadPipeline(file, { cwd }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PipelineFileError);
  return error as PipelineFileError;
}

const lines = (...all: string[]): string => all.join("\n");

describe("PipelineFileError", () => {
  it("is a LineaError with code PIPELINE_FILE, the file as given, and each problem's place, line and message", async () => {
    const error = await loadError(`${INVALID}/wrong-type.yaml`);
    expect(error).toBeInstanceOf(LineaError);
    expect(error.code).toBe("PIPELINE_FILE");
    expect(error.name).toBe("PipelineFileError");
    expect(error.file).toBe(`${INVALID}/wrong-type.yaml`);
    expect(error.problems).toEqual([
      { place: "steps[1].inputs", line: 7, message: 'must be an object of { localName: datasetName } or a list of dataset names, got "raw_orders"' },
      { place: "steps[1].outputs", line: 9, message: 'must be a list of dataset names, got "completed"' },
    ]);
  });
});

describe("schema problems, one clear message per place", () => {
  it("a value of the wrong type", async () => {
    expect((await loadError(`${INVALID}/wrong-type.yaml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/wrong-type.yaml:`,
      '  steps[1].inputs (line 7): must be an object of { localName: datasetName } or a list of dataset names, got "raw_orders"',
      '  steps[1].outputs (line 9): must be a list of dataset names, got "completed"',
    ));
  });

  it("a missing required field, at the object that lacks it", async () => {
    expect((await loadError(`${INVALID}/missing-required.yaml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/missing-required.yaml:`,
      '  missing required field "name"',
      '  steps[1] (line 5): missing required field "name"',
    ));
  });

  it("an unknown field, with the closest known one", async () => {
    expect((await loadError(`${INVALID}/unknown-field.yaml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/unknown-field.yaml:`,
      '  line 2: unknown field "optoins" (did you mean "options"?)',
      '  steps[0] (line 6): unknown field "ouputs" (did you mean "outputs"?)',
    ));
  });

  it("two bodies, or none", async () => {
    expect((await loadError(`${INVALID}/two-bodies.yaml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/two-bodies.yaml:`,
      "  steps[1] (line 6): has 2 bodies (sql, run); give exactly one of sql, run, read, write",
      "  steps[2] (line 11): has no body; give exactly one of sql, run, read, write",
    ));
  });

  it("a value outside an enum", async () => {
    expect((await loadError(`${INVALID}/bad-enum.yaml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/bad-enum.yaml:`,
      '  steps[0].read.format (line 4): must be one of csv, parquet, json, got "xlsx"',
      '  steps[0].cache (line 6): must be one of default, recompute, disable, got "never"',
      '  steps[1].engine (line 8): must be one of duckdb, arrow, danfo, rows, got "pandas"',
    ));
  });

  it("every problem of a file at once: options, names, keys, checks, linea's own step rules, duplicate names", async () => {
    expect((await loadError(`${INVALID}/many-problems.json`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/many-problems.json:`,
      "  options.maxWorkers (line 3): must be at least 1, got 0",
      "  options.retry.backoff (line 3): must be at least 1, got 0.5",
      "  options.historyDb (line 3): must be a path or false, got true",
      "  steps[0] (line 5): a read step has exactly one output, got 2",
      '  steps[1].outputs[0] (line 6): must be a name of letters, digits, "_", "." and "-", got "raw customers"',
      "  steps[1].read.options.types[0] (line 6): must be a string, a number or a boolean, got an object",
      '  steps[1].name (line 6): duplicate step name "read_orders" (also steps[0]); give each step a unique name',
      '  steps[2] (line 7): "engine" is allowed only together with "run"',
      '  steps[2].inputs (line 7): key "bad key" must be a name of letters, digits, "_", "." and "-"',
      "  steps[2].sql (line 7): must not be empty",
      '  steps[3].checks[0] (line 9): needs at least one of "min", "max"',
      "  steps[3].checks[1].column (line 9): must be a string, got a list",
      '  steps[3].checks[2].kind (line 9): must be one of not_null, unique, accepted_values, row_count, expression, got "nope"',
      '  steps[3].checks[3] (line 9): missing required field "column"',
      '  steps[4] (line 10): must be a step: an object with `name` and one of sql, run, read, write, got "not a step"',
    ));
  });

  it("a file that is not an object, and an empty list of steps", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "empty.yaml"), "");
    writeFileSync(join(dir, "list.json"), "[1, 2]");
    writeFileSync(join(dir, "no-steps.yaml"), "name: p\nsteps: []\n");
    expect((await loadError("empty.yaml", dir)).message).toBe(
      "Invalid pipeline file empty.yaml:\n  the file must hold an object with `name` and `steps`, got null",
    );
    expect((await loadError("list.json", dir)).problems).toEqual([
      { place: "", message: "the file must hold an object with `name` and `steps`, got a list" },
    ]);
    expect((await loadError("no-steps.yaml", dir)).problems).toEqual([{ place: "steps", line: 2, message: "must not be empty" }]);
  });

  it("a check without a kind gets only that message, and a run body written as a path is said to need { module, export }", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.yaml"), [
      "name: p",
      "steps:",
      "  - { name: a, read: a.csv, outputs: [a], checks: [{ column: id }] }",
      "  - { name: b, inputs: [a], run: steps/b.ts, outputs: [b] }",
    ].join("\n"));
    expect((await loadError("p.yaml", dir)).message).toBe(lines(
      "Invalid pipeline file p.yaml:",
      '  steps[0].checks[0] (line 3): missing required field "kind"',
      '  steps[1].run (line 4): must be { module, export }, got "steps/b.ts"',
    ));
  });
});

describe("run bodies", () => {
  it("a module that does not exist", async () => {
    expect((await loadError(`${INVALID}/bad-module.yaml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/bad-module.yaml:`,
      `  steps[1].run.module (line 8): module ../steps/clean.ts not found (looked for ${resolve(ROOT, "test/fixtures-pipelines/steps/clean.ts")})`,
    ));
  });

  it("an export that is not a function, or is missing (with the closest function export, or the list of them)", async () => {
    expect((await loadError(`${INVALID}/not-a-function.yaml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/not-a-function.yaml:`,
      '  steps[1].run.export (line 8): module ../share.ts has no function export "notAFunction": it is a whole step, not a function; export its run function and name that',
      '  steps[2].run.export (line 12): module ../share.ts has no function export "categoryshare" (did you mean "categoryShare"?)',
      '  steps[3].run.export (line 16): module ../share.ts has no function export "default" (its function exports: "categoryShare")',
    ));
  });

  it("a module that throws when imported keeps the error as `cause`", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "throws.mjs"), 'throw new Error("boom");\n');
    writeFileSync(join(dir, "p.yaml"), "name: p\nsteps:\n  - { name: a, run: { module: throws.mjs }, outputs: [x] }\n");
    const error = await loadError("p.yaml", dir);
    expect(error.message).toBe("Invalid pipeline file p.yaml:\n  steps[0].run.module (line 3): module throws.mjs cannot be imported: boom");
    expect((error.cause as Error).message).toBe("boom");
  });
});

describe("syntax errors, with line and column", () => {
  it("YAML", async () => {
    const error = await loadError(`${INVALID}/syntax-error.yaml`);
    expect(error.message).toBe(lines(
      `Invalid pipeline file ${INVALID}/syntax-error.yaml:`,
      "  line 6, column 3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ));
    expect(error.problems[0]).toMatchObject({ place: "", line: 6, column: 3 });
  });

  it("YAML duplicate keys", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "dup.yaml"), "name: a\nsteps: []\nname: b\n");
    expect((await loadError("dup.yaml", dir)).message).toBe("Invalid pipeline file dup.yaml:\n  line 3, column 1: invalid YAML: Map keys must be unique");
  });

  it("JSON", async () => {
    expect((await loadError(`${INVALID}/syntax-error.json`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/syntax-error.json:`,
      "  line 4, column 62: invalid JSON: Expected double-quoted property name",
    ));
  });
});

describe("the file itself", () => {
  it("an unknown extension", async () => {
    expect((await loadError(`${INVALID}/pipeline.toml`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/pipeline.toml:`,
      '  unknown extension ".toml": a pipeline is a .ts, .mts, .js or .mjs module exporting `steps`, or a .json, .yaml or .yml pipeline file',
    ));
  });

  it("a missing file", async () => {
    expect((await loadError("pipelines/nope.yaml")).message).toBe(lines(
      "Invalid pipeline file pipelines/nope.yaml:",
      `  file not found (looked for ${resolve(ROOT, "pipelines/nope.yaml")})`,
    ));
  });

  it("a folder", async () => {
    expect((await loadError("steps")).message).toBe(`Invalid pipeline file steps:\n  ${resolve(ROOT, "steps")} is not a file`);
  });
});

describe("module pipelines", () => {
  it("a module without `steps`", async () => {
    expect((await loadError(`${INVALID}/no-steps.ts`)).message).toBe(lines(
      `Invalid pipeline file ${INVALID}/no-steps.ts:`,
      "  steps: the module has no `steps` export; export the pipeline's steps: export const steps: Step[] = [...]",
    ));
  });

  it("exports of the wrong shape, and steps that break linea's rules, each at its place", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.mjs"), [
      "export const name = 3;",
      'export const baseDir = "";',
      'export const options = ["maxWorkers"];',
      'export const steps = [{ name: "a", read: "a.csv", outputs: ["a"] }, { name: "a", sql: "SELECT 1", ouputs: ["b"] }];',
    ].join("\n"));
    writeFileSync(join(dir, "not-a-list.mjs"), 'export const steps = { name: "a" };');
    expect((await loadError("bad.mjs", dir)).message).toBe(lines(
      "Invalid pipeline file bad.mjs:",
      "  name: must be a non-empty string, got 3",
      "  options: must be an object of orchestrator options, got a list",
      '  baseDir: must be a path, got ""',
      '  steps[1]: unknown field "ouputs" (did you mean "outputs"?)',
      "  steps[1]: a sql step has exactly one output, got 0",
      '  steps[1].name: duplicate step name "a" (also steps[0]); give each step a unique name',
    ));
    expect((await loadError("not-a-list.mjs", dir)).message).toBe("Invalid pipeline file not-a-list.mjs:\n  steps: must be a list of steps, got an object");
  });

  it("a module that throws when imported", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.mjs"), 'throw new TypeError("no config");\n');
    const error = await loadError("p.mjs", dir);
    expect(error.message).toBe("Invalid pipeline file p.mjs:\n  the module cannot be imported: no config");
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe("parser refusals are PipelineFileErrors naming the file and the reason", () => {
  it("a YAML alias bomb", async () => {
    const dir = tempDir();
    const levels = "abcdefghi".split("");
    const text = levels.map((l, i) => (i === 0 ? `a: &a [${Array(9).fill('"lol"').join(",")}]` : `${l}: &${l} [${Array(9).fill(`*${levels[i - 1]}`).join(",")}]`));
    writeFileSync(join(dir, "bomb.yaml"), [...text, "name: bomb", "steps: []", ""].join("\n"));
    const error = await loadError("bomb.yaml", dir);
    expect(error.message).toBe(lines("Invalid pipeline file bomb.yaml:", "  invalid YAML: Excessive alias count indicates a resource exhaustion attack"));
  });

  it("a YAML alias that contains itself", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "loop.yaml"), 'name: loop\nsteps:\n  - name: a\n    sql: "SELECT 1"\n    outputs: [a]\n    params: &p { again: *p }\n');
    const error = await loadError("loop.yaml", dir);
    expect(error.message).toBe(lines("Invalid pipeline file loop.yaml:", "  steps[0].params.again: invalid YAML: an alias refers to a node that contains it (a circular reference)"));
  });
});
