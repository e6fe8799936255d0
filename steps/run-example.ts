// Runs the example pipeline on fixtures/, prints a summary, and writes its outputs and lineage to
// lineage-out/: `npm run example`.
import { formatRunSummary, Orchestrator } from "linea";
import { name, steps } from "./pipeline.js";

const orchestrator = new Orchestrator({ name, steps, maxWorkers: 4, redact: ["email"] });
const result = await orchestrator.execute();
console.log(formatRunSummary(result));
await result.tracker.exportLineage(`lineage-out/${name}.json`);
console.log(`\nlineage: lineage-out/${name}.json`);
await orchestrator.close();
process.exitCode = result.status === "success" ? 0 : 1;
