// One measurement in a fresh process, for the W1 and DAG benchmarks: `node --import tsx bench/child.ts <what> ...`
// prints one JSON line: how long the measured part took (imports excluded) and the process's peak memory.
//   w1 <direct|off|on> <dataDir> <outDir> [storeDir]   the W1 pipeline (SQL only) straight to DuckDB, or through linea
//   dag <off|tracker|on> <steps> [storeDir]             a DAG of tiny row steps, plan + execute
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Orchestrator, type OrchestratorOptions } from "../src/index.js";
import { name } from "../steps/pipeline.js";
import { wideDag } from "./dag.js";
import { timed } from "./lib.js";
import { runDirect, sqlOnlySteps } from "./pipeline.js";

const QUIET = { warn: (): void => undefined };
const [what, mode, ...rest] = process.argv.slice(2);

/** Everything on (cache, checkpoints, history) in `store`, or everything off. */
function stores(on: boolean, store: string | undefined): Partial<OrchestratorOptions> {
  if (!on || store === undefined) return { cache: false, checkpoint: false, historyDb: false };
  return { cache: true, checkpoint: true, cacheDir: join(store, "cache"), checkpointDir: join(store, "checkpoints"), historyDb: join(store, "history.duckdb") };
}

async function w1(): Promise<{ ms: number; persisted?: unknown }> {
  const [dataDir, outDir, store] = rest as [string, string, string | undefined];
  const steps = sqlOnlySteps(dataDir, outDir);
  if (mode === "direct") {
    const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const connection = await instance.connect();
    const { ms } = await timed(() => runDirect(connection, steps, dataDir));
    connection.closeSync();
    instance.closeSync();
    return { ms };
  }
  const orchestrator = new Orchestrator({ name, steps, baseDir: dataDir, allowPaths: [outDir], logger: QUIET, ...stores(mode === "on", store) });
  const { ms, value } = await timed(() => orchestrator.execute());
  if (value.status !== "success") throw new Error(`W1 run failed: ${JSON.stringify(value.nodes)}`);
  const persisted = value.persisted.map((p) => `${p.dataset}:${p.kept}`);
  await orchestrator.close();
  return { ms, persisted };
}

async function dag(): Promise<{ ms: number; declareMs: number; lineageMs?: number }> {
  const [count, store] = rest as [string, string | undefined];
  const steps = wideDag(Number(count));
  let declareMs = 0;
  const { ms, value } = await timed(async () => {
    const declared = performance.now();
    const orchestrator = new Orchestrator({
      name: "dag", steps, maxWorkers: 4, logger: QUIET, enableTracker: mode !== "off", ...stores(mode === "on", store), ...(store ? { baseDir: store } : {}),
    });
    declareMs = performance.now() - declared;
    orchestrator.plan();
    return orchestrator.execute();
  });
  if (value.status !== "success") throw new Error("DAG run failed");
  if (mode !== "tracker") return { ms, declareMs };
  // What a reader of the tracker then pays: its records are made whole (input snapshots filed, fields derived)
  // when first read, here by building the lineage document.
  const lineage = performance.now();
  if (value.tracker.toLineage().steps.length !== steps.length) throw new Error("DAG lineage lacks steps");
  return { ms, declareMs, lineageMs: performance.now() - lineage };
}

const result = what === "w1" ? await w1() : what === "dag" ? await dag() : undefined;
if (result === undefined) throw new Error(`unknown measurement ${what}`);
process.stdout.write(`${JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS })}\n`);
process.exit(0);
