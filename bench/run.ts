// `npm run bench [name...]`: runs the benchmarks (all, or those named) and prints their figures.
import { runPipelineBench } from "./pipeline.js";
import { runSchedulerBench } from "./scheduler.js";

const BENCHES: Record<string, () => Promise<unknown>> = {
  scheduler: runSchedulerBench,
  pipeline: runPipelineBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}
console.log(`# linea benchmarks (${new Date().toISOString()}, node ${process.version}, ${(await import("node:os")).cpus().length} cores)`);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length === 0 || wanted.includes(name)) await bench();
}
