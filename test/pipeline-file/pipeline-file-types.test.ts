import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  stepProblems, type BodyKind, type CachePolicy, type CheckKind, type CheckSeverity, type EngineName, type FileFormat, type OrchestratorOptions,
  type PipelineFile, type PipelineFileCheck, type PipelineFileOptions, type PipelineFileRetry, type PipelineFileStep, type PipelineFileTarget,
  type RetryOptions, type StepCommon,
} from "../../src/index.js";
import { ROOT } from "../helpers/temp-dir.js";

// The pipeline schema is the file format's source of truth; these keep it in step with linea's own Step.
describe("the pipeline schema and its generated types agree with Step and OrchestratorOptions", () => {
  it("a file step has exactly the fields of a Step", () => {
    expectTypeOf<keyof PipelineFileStep>().toEqualTypeOf<keyof StepCommon | BodyKind | "engine" | "columns" | "columnLineage">();
    const schema = JSON.parse(readFileSync(`${ROOT}/schemas/pipeline.schema.json`, "utf8")) as {
      definitions: { Step: { properties: Record<string, unknown> } };
    };
    const fields = Object.keys(schema.definitions.Step.properties);
    const unknown = stepProblems(Object.fromEntries([...fields.map((f) => [f, undefined]), ["name", "a"], ["sql", "SELECT 1"], ["outputs", ["x"]]]));
    expect(unknown).toEqual([]);
  });

  it("closed sets are the same", () => {
    expectTypeOf<NonNullable<PipelineFileStep["engine"]>>().toEqualTypeOf<EngineName>();
    expectTypeOf<NonNullable<PipelineFileStep["cache"]>>().toEqualTypeOf<CachePolicy>();
    expectTypeOf<NonNullable<Exclude<PipelineFileTarget, string>["format"]>>().toEqualTypeOf<FileFormat>();
    expectTypeOf<PipelineFileCheck["kind"]>().toEqualTypeOf<CheckKind>();
    expectTypeOf<NonNullable<PipelineFileCheck["severity"]>>().toEqualTypeOf<CheckSeverity>();
  });

  it("file options are orchestrator options", () => {
    expectTypeOf<PipelineFileOptions>().toExtend<Partial<OrchestratorOptions>>();
    expectTypeOf<PipelineFileRetry>().toExtend<RetryOptions>();
    // @ts-expect-error a pipeline file needs a name
    const noName: PipelineFile = { steps: [{ name: "a", sql: "SELECT 1" }] };
    expect(noName.steps).toHaveLength(1);
  });
});
