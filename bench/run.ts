// `npm run bench [name...]`: runs the benchmarks and prints their figures: by default the issue-14 ratios
// (`w1` and `dag`); `npm run bench -- w1` or `-- dag` runs one; `scheduler`, `pipeline`, `persist` (the
// persistence policy's trade-off) and `distributed` (which needs Redis and starts worker processes) only when named.
import { join } from "node:path";
import { runDagBench } from "./dag.js";
import { runDistributedBench } from "./distributed.js";
import { runPersistBench } from "./persist.js";
import { BENCH_DIR, runPipelineBench } from "./pipeline.js";
import { runSchedulerBench } from "./scheduler.js";
import { runW1Bench } from "./w1.js";

const BENCHES: Record<string, () => Promise<unknown>> = {
  w1: runW1Bench,
  dag: () => runDagBench(join(BENCH_DIR, "scratch")),
  scheduler: runSchedulerBench,
  pipeline: runPipelineBench,
  distributed: runDistributedBench,
  persist: runPersistBench,
};
/** What `npm run bench` runs when no benchmark is named. */
const DEFAULT = new Set(["w1", "dag"]);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}
const os = await import("node:os");
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(", ");
console.log(`# linea benchmarks (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores, load average ${load()})`);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length === 0 ? DEFAULT.has(name) : wanted.includes(name)) await bench();
}
console.log(`\n(load average at the end: ${load()})`);
