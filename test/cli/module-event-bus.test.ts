import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../helpers/temp-dir.js";
import { linea } from "./cli-helpers.js";

describe("linea run with a module pipeline's options.eventBus", () => {
  it("keeps the module's hooks (and still shows progress)", async () => {
    const dir = tempDir("linea-cli-bus-");
    const index = join(ROOT, "src/index.ts");
    writeFileSync(join(dir, "bus.ts"), `import { appendFileSync } from "node:fs";
import { EventBus, type Step } from ${JSON.stringify(index)};
const eventBus = new EventBus();
eventBus.registerHook(["node_complete", "pipeline_complete"], (payload, context) => {
  appendFileSync(${JSON.stringify(join(dir, "events.log"))}, context.eventType + " " + ((payload as { stepName?: string }).stepName ?? "-") + "\\n");
});
export const name = "bus_demo";
export const options = { eventBus, historyDb: false };
export const steps: Step[] = [{ name: "one", outputs: ["one"], sql: "SELECT 1 AS x" }];
`);
    const run = await linea(dir, ["run", "bus.ts"]);
    expect(run.code).toBe(0);
    expect(run.err).toContain("✓ one");
    expect(readFileSync(join(dir, "events.log"), "utf8")).toBe("node_complete one\npipeline_complete -\n");
  });
});
