import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline, PipelineFileError } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

describe("value steps and declared columns in pipeline files", () => {
  it("runs a YAML pipeline whose run steps return a value and an empty table with declared columns", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "steps.mjs"), [
      "export const limit = () => ({ max: 2, label: 'top' });",
      "export const none = () => [];",
      "export const pick = ({ limit }) => Array.from({ length: limit.max }, (_, i) => ({ rank: i + 1, label: limit.label }));",
    ].join("\n"));
    writeFileSync(join(dir, "p.yaml"), [
      "name: values_file",
      "steps:",
      "  - { name: limit, run: { module: steps.mjs, export: limit }, outputs: [limit] }",
      "  - { name: none, run: { module: steps.mjs, export: none }, outputs: [refunds], columns: { refunds: { id: BIGINT, amount: DOUBLE } } }",
      "  - { name: pick, run: { module: steps.mjs, export: pick }, inputs: [limit], outputs: [picked] }",
      "  - { name: count, sql: 'SELECT count(*) AS n FROM r', inputs: { r: refunds }, outputs: [n] }",
    ].join("\n"));
    const pipeline = await loadPipeline(join(dir, "p.yaml"));
    const result = await testOrchestrator({ name: pipeline.name, steps: pipeline.steps, baseDir: dir }).execute();
    expect(result.status).toBe("success");
    expect(await result.dataMap.get("limit")?.value()).toEqual({ max: 2, label: "top" });
    expect(await result.dataMap.get("picked")?.toRows()).toEqual([{ rank: 1, label: "top" }, { rank: 2, label: "top" }]);
    expect(await result.dataMap.get("n")?.toRows()).toEqual([{ n: 0 }]);
  });

  it("refuses columns on a step that is not a run step, by place", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.yaml"), "name: p\nsteps:\n  - { name: a, sql: 'SELECT 1 AS id', outputs: [x], columns: { x: { id: BIGINT } } }\n");
    await expect(loadPipeline(join(dir, "p.yaml"))).rejects.toThrow(PipelineFileError);
  });
});
