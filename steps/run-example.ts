// Runs the example pipeline on fixtures/ and prints a summary: `npm run example`.
import { formatRunSummary, Orchestrator } from "linea";
import { name, steps } from "./pipeline.js";

const orchestrator = new Orchestrator({ name, steps, maxWorkers: 4 });
const result = await orchestrator.execute();
console.log(formatRunSummary(result));
await orchestrator.close();
process.exitCode = result.status === "success" ? 0 : 1;
