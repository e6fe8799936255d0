// `npm run bench [name...]`: runs the benchmarks (all, or those named) and prints their figures.
import { runDistributedBench } from "./distributed.js";
import { runPipelineBench } from "./pipeline.js";
import { runSchedulerBench } from "./scheduler.js";

const BENCHES: Record<string, () => Promise<unknown>> = {
  scheduler: runSchedulerBench,
  pipeline: runPipelineBench,
  distributed: runDistributedBench,
};
/** Run only when named: it needs Redis (and starts worker processes). */
const ON_REQUEST = new Set(["distributed"]);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}
console.log(`# linea benchmarks (${new Date().toISOString()}, node ${process.version}, ${(await import("node:os")).cpus().length} cores)`);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length === 0 ? !ON_REQUEST.has(name) : wanted.includes(name)) await bench();
}
