import { describe, expect, it } from "vitest";
import { validateStep } from "../../src/step/validate-step.js";
import { testOrchestrator } from "../helpers/temp-dir.js";

const run = () => [];

describe("columnLineage declared on a run step", () => {
  it("is checked when the step is declared: outputs, inputs, transformations", () => {
    expect(() => validateStep({
      name: "s", inputs: { df: "orders" }, outputs: ["out"], run,
      columnLineage: {
        nope: { fields: {} },
        out: { fields: { a: { inputFields: [{ dataset: "other", field: "x", transformations: [{ type: "DIRECT", subtype: "FILTER" }] }] } },
               dataset: [{ dataset: "df", field: "y", transformations: [{ type: "INDIRECT", subtype: "WINDOW" }] }] },
      },
    })).toThrow(
      'Invalid step "s": `columnLineage.nope` names no output of the step (its outputs: "out"); ' +
      '`columnLineage.out.fields.a.inputFields[0].dataset` must name one of the step\'s inputs ("orders", "df"), got "other"; ' +
      '`columnLineage.out.fields.a.inputFields[0].transformations[0].subtype` of a field\'s edge of type DIRECT must be one of IDENTITY, TRANSFORMATION, AGGREGATION, got "FILTER"; ' +
      '`columnLineage.out.dataset[0].transformations[0].subtype` of a dataset-wide edge of type INDIRECT must be one of JOIN, FILTER, GROUP_BY, SORT, got "WINDOW".',
    );
    expect(() => validateStep({ name: "q", sql: "SELECT 1", outputs: ["o"], columnLineage: {} })).toThrow(
      "`columnLineage` applies only to run steps (linea derives it for sql, read and write steps)",
    );
  });

  it("becomes the step's lineage, local names resolved to datasets; without it the step is opaque", async () => {
    const result = await testOrchestrator({
      name: "declared",
      steps: [
        { name: "src", sql: "SELECT 1 AS qty, 2 AS price", outputs: ["orders"] },
        { name: "total", inputs: { o: "orders" }, outputs: ["totals"], run: ({ o }) => (o ?? []).map((r) => ({ total: Number(r.qty) * Number(r.price) })),
          columnLineage: { totals: { fields: { total: { inputFields: [
            { dataset: "o", field: "qty", transformations: [{ type: "DIRECT", subtype: "TRANSFORMATION" }] },
            { dataset: "orders", field: "price", transformations: [{ type: "DIRECT", subtype: "TRANSFORMATION" }] },
          ] } } } } },
        { name: "opaque", inputs: ["totals"], outputs: ["copy"], run: ({ totals }) => totals },
      ],
    }).execute();
    expect(result.status).toBe("success");
    const doc = result.tracker.toLineage();
    const total = doc.steps.find((s) => s.step_name === "total");
    expect(total?.column_lineage_source).toBe("declared");
    expect(total?.column_lineage?.totals?.fields.total?.inputFields.map((f) => `${f.dataset}.${f.field}`)).toEqual(["orders.qty", "orders.price"]);
    expect(result.tracker.columnLineage("totals", "total").children.map((c) => `${c.dataset}.${c.column}`)).toEqual(["orders.qty", "orders.price"]);
    const opaque = doc.steps.find((s) => s.step_name === "opaque");
    expect(opaque?.column_lineage_source).toBe("opaque");
    expect(opaque?.column_lineage).toEqual({});
    expect(opaque?.column_lineage_note).toMatch(/declare `columnLineage`/);
  });
});
