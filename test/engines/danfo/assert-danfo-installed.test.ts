import { describe, expect, it } from "vitest";
import { assertDanfoInstalled } from "../../../src/engines/danfo/assert-danfo-installed.js";
import { DANFO_OVERRIDES, DanfoMissingError } from "../../../src/engines/danfo/danfo-missing-error.js";
import { Orchestrator } from "../../../src/index.js";
import { normalizeStep } from "../../../src/step/normalize-step.js";
import type { Step } from "../../../src/step/step.js";

const steps: Step[] = [
  { name: "load", outputs: ["orders"], sql: "SELECT 1 AS qty" },
  { name: "share", engine: "danfo", inputs: { df: "orders" }, outputs: ["share"], run: ({ df }) => df },
  { name: "flag", engine: "danfo", inputs: { df: "share" }, outputs: ["flagged"], run: ({ df }) => df },
];
const specs = steps.map((step, i) => normalizeStep(step, i));

describe("assertDanfoInstalled", () => {
  it("names the danfo steps, what to install and the overrides danfojs-node needs", () => {
    let error: unknown;
    try {
      assertDanfoInstalled(specs, () => false);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DanfoMissingError);
    expect(error).toMatchObject({ code: "ENGINE", steps: ["share", "flag"] });
    expect((error as Error).message).toBe(
      'Cannot plan danfo steps "share", "flag": danfojs-node is not installed (it is an optional peer dependency of linea). ' +
        "Install it in your project with `npm install danfojs-node`, after adding these overrides to your package.json " +
        "(without them danfojs-node downloads xlsx from outside the npm registry and builds TensorFlow): " +
        '"overrides": {"xlsx":"0.18.5","@tensorflow/tfjs-node":"npm:@tensorflow/tfjs@3.21.0"}',
    );
  });

  it("passes when danfo is installed, or when no step needs it", () => {
    expect(() => assertDanfoInstalled(specs, () => true)).not.toThrow();
    expect(() => assertDanfoInstalled(specs.slice(0, 1), () => false)).not.toThrow();
    // Here danfojs-node is a devDependency: the default check finds it without loading it.
    expect(() => assertDanfoInstalled(specs)).not.toThrow();
  });

  it("the overrides are the ones linea's own package.json uses for its dev install", async () => {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { overrides: unknown };
    expect(pkg.overrides).toEqual(DANFO_OVERRIDES);
  });

  it("is part of planning: Orchestrator.plan() on a pipeline with a danfo step checks it", () => {
    // With danfo installed the plan succeeds; the package test (test/package/) plans one without danfo.
    expect(new Orchestrator({ name: "p", steps, historyDb: false }).plan().order).toHaveLength(3);
  });
});
