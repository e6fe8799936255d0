import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { printLines, type BenchLine } from "./lib.js";
import { BENCH_DIR, ensureBenchData } from "./pipeline.js";
import { measureInChild, medianOf, type ChildResult } from "./spawn-child.js";

const ROUNDS = Number(process.env.LINEA_BENCH_W1_ROUNDS ?? 3);

/** One W1 round: direct, everything off, cold (everything on, empty store), warm (the same store again), each in a fresh process. */
async function round(dataDir: string, outDir: string, store: string): Promise<Record<"direct" | "off" | "cold" | "warm", ChildResult>> {
  rmSync(store, { recursive: true, force: true });
  mkdirSync(store, { recursive: true });
  const direct = await measureInChild(["w1", "direct", dataDir, outDir]);
  const off = await measureInChild(["w1", "off", dataDir, outDir]);
  const cold = await measureInChild(["w1", "on", dataDir, outDir, store]);
  const warm = await measureInChild(["w1", "on", dataDir, outDir, store]);
  return { direct, off, cold, warm };
}

/**
 * The issue-14 W1 figures: the example pipeline's SQL part (read 3 CSVs, filter, 3-way join, 2 aggregates,
 * 2 Parquet writes) at LINEA_BENCH_ORDERS orders (4M by default; the data is generated once under
 * bench/data/), each measurement in a fresh process: cold with everything on over the same SQL straight to
 * DuckDB, warm over cold, and the cold run's peak memory over that of the run with everything off.
 * LINEA_BENCH_W1_ROUNDS rounds (3 by default), each reported.
 */
export async function runW1Bench(): Promise<BenchLine[]> {
  const dataDir = await ensureBenchData();
  const sizes = JSON.parse(readFileSync(join(dataDir, "READY"), "utf8")) as Record<string, number>;
  const outDir = join(BENCH_DIR, "out-w1");
  const store = join(BENCH_DIR, "store-w1");
  mkdirSync(outDir, { recursive: true });
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(dataDir, outDir, store));
  rmSync(store, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const coldRatio = rounds.map((r) => r.cold.ms / r.direct.ms);
  const warmRatio = rounds.map((r) => r.warm.ms / r.cold.ms);
  const memRatio = rounds.map((r) => r.cold.maxRssKb / r.off.maxRssKb);
  const each = (values: number[]): string => values.map((v) => `${v.toFixed(2)}×`).join(", ");
  const lines: BenchLine[] = [
    { name: "data", value: `${sizes.orders?.toLocaleString("en-US")} orders, ${sizes.customers?.toLocaleString("en-US")} customers, ${sizes.products?.toLocaleString("en-US")} products (CSV)` },
    ...rounds.map((r, i): BenchLine => ({
      name: `round ${i + 1}`,
      value: `direct ${s(r.direct.ms)}, everything off ${s(r.off.ms)}, cold ${s(r.cold.ms)}, warm ${s(r.warm.ms)}; peak memory off ${(r.off.maxRssKb / 1024).toFixed(0)} MiB, cold ${(r.cold.maxRssKb / 1024).toFixed(0)} MiB`,
    })),
    { name: "cold, everything on (cache, checkpoints, history) / direct DuckDB", value: `${each(coldRatio)} (median ${medianOf(coldRatio).toFixed(2)}×)`, target: "≤ 1.15×", ok: medianOf(coldRatio) <= 1.15 },
    { name: "warm / cold", value: `${each(warmRatio)} (median ${medianOf(warmRatio).toFixed(2)}×)`, target: "≤ 0.1×", ok: medianOf(warmRatio) <= 0.1 },
    { name: "peak memory, cold / everything off", value: `${each(memRatio)} (median ${medianOf(memRatio).toFixed(2)}×)`, target: "≤ 1.2×", ok: medianOf(memRatio) <= 1.2 },
    { name: "what the cold run kept", value: (rounds[0]?.cold.persisted ?? []).join(", ") },
  ];
  printLines(`W1 (issue 14; ${ROUNDS} rounds, each measurement in a fresh process)`, lines);
  return lines;
}
