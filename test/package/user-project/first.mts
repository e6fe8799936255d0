// The same in TypeScript, type-checked with the strictest settings: npx tsc
import { Orchestrator, defineStep, type Step } from "linea";

const steps: Step[] = [
  { name: "numbers", outputs: ["numbers"], sql: "SELECT range AS n FROM range(1, 6)" },
  defineStep({ name: "total", engine: "rows", inputs: { rows: "numbers" }, outputs: ["total"],
    run: ({ rows }) => [{ total: rows.reduce((sum, row) => sum + Number(row["n"]), 0) }] }),
];

const orchestrator = new Orchestrator({ name: "first", steps });
const result = await orchestrator.execute();
console.log(result.status, await result.dataMap.get("total")?.toRows());
await orchestrator.close();
