import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/pipeline-file/pipeline-file-error.js";
import { pathOfPointer, placeOf } from "../../src/pipeline-file/place-of.js";

describe("places in a pipeline file", () => {
  it("reads ajv's instance paths and writes them as people do", () => {
    expect(placeOf(pathOfPointer("/steps/3/inputs"))).toBe("steps[3].inputs");
    expect(placeOf(pathOfPointer("/options/maxWorkers"))).toBe("options.maxWorkers");
    expect(placeOf(pathOfPointer("/steps/0/params/a b/x~1y"))).toBe('steps[0].params["a b"]["x/y"]');
    expect(placeOf(pathOfPointer(""))).toBe("");
  });

  it("formats a problem with its place and line, or its line and column, or neither", () => {
    expect(formatProblem({ place: "steps[3].inputs", line: 27, message: "must be a list" })).toBe("steps[3].inputs (line 27): must be a list");
    expect(formatProblem({ place: "steps", message: "must not be empty" })).toBe("steps: must not be empty");
    expect(formatProblem({ place: "", line: 4, column: 2, message: "invalid YAML: x" })).toBe("line 4, column 2: invalid YAML: x");
    expect(formatProblem({ place: "", line: 4, message: 'unknown field "a"' })).toBe('line 4: unknown field "a"');
    expect(formatProblem({ place: "", message: "file not found" })).toBe("file not found");
  });
});
