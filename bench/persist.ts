import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Orchestrator, type Step } from "../src/index.js";
import { name } from "../steps/pipeline.js";
import { printLines, timed, type BenchLine } from "./lib.js";
import { BENCH_DIR, ensureBenchData, sqlOnlySteps } from "./pipeline.js";
import { medianOf } from "./spawn-child.js";

const ROUNDS = Number(process.env.LINEA_BENCH_PERSIST_ROUNDS ?? 3);
const QUIET = { warn: (): void => undefined };

/** The W1 steps with `enrich_orders`' SQL changed by a comment (a new key for it and everything below). */
function changed(steps: readonly Step[], tag: string): Step[] {
  return steps.map((s) => (s.name === "enrich_orders" ? ({ ...s, sql: `${(s as { sql: string }).sql} -- ${tag}` } as Step) : s));
}

/** One sequence in a fresh store: cold, then enrich_orders changed, then changed again; the time of each run. */
async function sequence(dataDir: string, outDir: string, store: string, recomputeFactor: number): Promise<{ ms: number[]; kept: string }> {
  rmSync(store, { recursive: true, force: true });
  const base = sqlOnlySteps(dataDir, outDir);
  const ms: number[] = [];
  let kept = "";
  for (const steps of [base, changed(base, "first change"), changed(base, "second change")]) {
    const orchestrator = new Orchestrator({
      name, steps, baseDir: dataDir, allowPaths: [outDir], logger: QUIET, persistRecomputeFactor: recomputeFactor,
      cacheDir: join(store, "cache"), checkpointDir: join(store, "checkpoints"), historyDb: join(store, "history.duckdb"),
    });
    const { ms: took, value } = await timed(() => orchestrator.execute());
    if (value.status !== "success") throw new Error("W1 run failed");
    if (ms.length === 0) kept = value.persisted.find((p) => p.dataset === "valid_orders")?.kept ?? "?";
    ms.push(took);
    await orchestrator.close();
  }
  return { ms, kept };
}

/**
 * The persistence policy's trade-off on W1 (`npm run bench -- persist`): with the default recompute factor
 * (2) and with 1, a cold run, then a run that changes enrich_orders (it needs the filtered orders), then a
 * second such change; medians of LINEA_BENCH_PERSIST_ROUNDS rounds (3), the two factors alternating.
 */
export async function runPersistBench(): Promise<BenchLine[]> {
  const dataDir = await ensureBenchData();
  const outDir = join(BENCH_DIR, "out-persist");
  const store = join(BENCH_DIR, "store-persist");
  mkdirSync(outDir, { recursive: true });
  const runs: Record<number, { ms: number[][]; kept: string }> = { 2: { ms: [[], [], []], kept: "" }, 1: { ms: [[], [], []], kept: "" } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const factor of [2, 1]) {
      const { ms, kept } = await sequence(dataDir, outDir, store, factor);
      ms.forEach((m, i) => runs[factor]?.ms[i]?.push(m));
      (runs[factor] as { kept: string }).kept = kept;
    }
  }
  rmSync(store, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  const s = (values: number[]): string => `${(medianOf(values) / 1000).toFixed(2)} s`;
  const line = (factor: number): BenchLine => {
    const { ms, kept } = runs[factor] as { ms: number[][]; kept: string };
    return { name: `persistRecomputeFactor ${factor} (filtered orders: ${kept})`, value: `cold ${s(ms[0] as number[])}, enrich_orders changed ${s(ms[1] as number[])}, changed again ${s(ms[2] as number[])}` };
  };
  const ratio = (i: number): string => `${(medianOf(runs[2]?.ms[i] as number[]) / medianOf(runs[1]?.ms[i] as number[])).toFixed(2)}×`;
  const lines = [
    line(2), line(1),
    { name: "factor 2 / factor 1", value: `cold ${ratio(0)}, enrich_orders changed ${ratio(1)}, changed again ${ratio(2)}` },
  ];
  printLines(`Persistence trade-off on W1 (medians of ${ROUNDS} rounds, in one process)`, lines);
  return lines;
}
