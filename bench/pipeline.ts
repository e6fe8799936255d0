import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance, quotedIdentifier, quotedString, type DuckDBConnection } from "@duckdb/node-api";
import { Orchestrator, type OrchestratorOptions, type Step } from "../src/index.js";
import { DatasetHandle } from "../src/data/dataset-handle.js";
import { generateData, sizesFor } from "../fixtures/generate.js";
import { pipelineSteps, name } from "../steps/pipeline.js";
import { normalizeStep } from "../src/step/normalize-step.js";
import { copyOptionsSql, readFunctionSql } from "../src/engines/duckdb/file-sql.js";
import { checkColumns, duplicateRowsSql, failingAggregateSql } from "../src/engines/duckdb/check-sql.js";
import { printLines, timed, type BenchLine } from "./lib.js";
import { loadDanfo } from "../src/engines/danfo/load-danfo.js";

export const BENCH_DIR = resolve(new URL(".", import.meta.url).pathname, "data");
export const ORDERS = Number(process.env.LINEA_BENCH_ORDERS ?? 4_000_000);

/** Generates the benchmark's data once (4M orders, 200k customers, 10k products), reusing it afterwards. */
export async function ensureBenchData(): Promise<string> {
  const dir = join(BENCH_DIR, String(ORDERS));
  const marker = join(dir, "READY");
  if (!existsSync(marker)) {
    const { ms } = await timed(() => generateData(dir, sizesFor(ORDERS)));
    writeFileSync(marker, JSON.stringify(sizesFor(ORDERS)));
    console.log(`generated ${JSON.stringify(sizesFor(ORDERS))} in ${(ms / 1000).toFixed(1)} s`);
  }
  return dir;
}

/** The SQL, read and write steps of the example pipeline: the work linea and plain DuckDB both do. */
export function sqlOnlySteps(dataDir: string, outDir: string): Step[] {
  return pipelineSteps({ dataDir, outDir }).filter((s) => s.name !== "category_share" && s.name !== "write_category_share");
}

/**
 * The same steps as plain DuckDB statements on one connection, in plan order: each input becomes a
 * temporary view named by its local name (so the SQL text is the same), each result a table.
 */
export async function runDirect(connection: DuckDBConnection, steps: readonly Step[], baseDir: string): Promise<void> {
  for (const spec of steps.map((s, i) => normalizeStep(s, i))) {
    const body = spec.body;
    const output = spec.outputs[0] as string;
    switch (body.kind) {
      case "read":
        await connection.run(`CREATE OR REPLACE TABLE ${quotedIdentifier(output)} AS SELECT * FROM ${readFunctionSql(resolve(baseDir, body.path), body.format, body.options)}`);
        break;
      case "sql":
        for (const input of spec.inputs) {
          await connection.run(`CREATE OR REPLACE TEMP VIEW ${quotedIdentifier(input.local)} AS SELECT * FROM ${quotedIdentifier(input.dataset)}`);
        }
        await connection.run(`CREATE OR REPLACE TABLE ${quotedIdentifier(output)} AS ${body.sql}`);
        break;
      case "write": {
        const target = resolve(baseDir, body.path);
        await connection.run(`COPY (SELECT * FROM ${quotedIdentifier(spec.inputs[0]?.dataset as string)}) TO ${quotedString(target)} (${copyOptionsSql(target, body.format, body.options)})`);
        break;
      }
      case "run":
        throw new Error("the direct run takes no run steps");
    }
    // The data checks the step declares, as the same queries linea evaluates them with.
    if (spec.checks.length > 0) {
      const ref = quotedIdentifier(output);
      const aggregates = spec.checks.map(failingAggregateSql).filter((a): a is string => a !== undefined);
      await connection.run(`SELECT ${["count(*)", ...aggregates].join(", ")} FROM ${ref}`);
      for (const check of spec.checks) if (check.kind === "unique") await connection.run(duplicateRowsSql(checkColumns(check), ref));
    }
  }
}

async function freshDirect(steps: readonly Step[], baseDir: string): Promise<number> {
  const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const connection = await instance.connect();
  try {
    return (await timed(() => runDirect(connection, steps, baseDir))).ms;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The data's known flaws fail two `warn` checks on every run: not news for a benchmark. */
const QUIET = { warn: (): void => undefined };

let storeCounter = 0;

/** A fresh, empty cache and checkpoint folder (a cold run). */
function freshStore(): { cacheDir: string; checkpointDir: string; historyDb: string } {
  const dir = join(BENCH_DIR, "store", `${process.pid}-${++storeCounter}`);
  rmSync(dir, { recursive: true, force: true });
  return { cacheDir: join(dir, "cache"), checkpointDir: join(dir, "checkpoints"), historyDb: join(dir, "history.duckdb") };
}

async function freshLinea(steps: Step[], baseDir: string, options: Partial<OrchestratorOptions> = {}): Promise<number> {
  const orchestrator = new Orchestrator({ name, steps, baseDir, cache: false, checkpoint: false, historyDb: false, logger: QUIET, ...options });
  try {
    const { ms, value } = await timed(() => orchestrator.execute());
    if (value.status !== "success") throw new Error(`linea run failed: ${JSON.stringify(value.nodes, null, 1)}`);
    return ms;
  } finally {
    await orchestrator.close();
  }
}

/** Median of `runs` alternating measurements of several variants (alternating spreads drift evenly). */
export async function alternate(runs: number, variants: Record<string, () => Promise<number>>): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [key, run] of Object.entries(variants)) times[key]?.push(await run());
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)] as number]));
}

async function danfoConversions(dataDir: string): Promise<{ rows: number; toDanfo: number; back: number; stepMs: number; summaryRows: number }> {
  const orchestrator = new Orchestrator({ name, steps: pipelineSteps({ dataDir, outDir: join(BENCH_DIR, "out-danfo") }), cache: false, checkpoint: false, historyDb: false, logger: QUIET });
  try {
    const result = await orchestrator.execute();
    const stepMs = result.nodes.category_share?.durationMs ?? NaN;
    const summaryRows = await result.dataMap.get("category_summary")!.rowCount();
    // The conversion costs at a size worth knowing: the 100k-row customer_revenue table.
    const table = result.dataMap.get("customer_revenue") as DatasetHandle;
    const rows = await table.rowCount();
    const toDanfo = await timed(() => table.valueIn("danfo"));
    const handle = DatasetHandle.of("back", "danfo", toDanfo.value, (table as unknown as { cell: { runtime: never } }).cell.runtime);
    const back = await timed(() => handle.valueIn("duckdb"));
    return { rows, toDanfo: toDanfo.ms, back: back.ms, stepMs, summaryRows };
  } finally {
    await orchestrator.close();
  }
}

export async function runPipelineBench(): Promise<BenchLine[]> {
  const dataDir = await ensureBenchData();
  const sizes = JSON.parse(readFileSync(join(dataDir, "READY"), "utf8")) as Record<string, number>;
  const outDir = join(BENCH_DIR, "out");
  mkdirSync(outDir, { recursive: true });
  const steps = sqlOnlySteps(dataDir, outDir);
  let warmStore = freshStore();
  const medians = await alternate(7, {
    direct: () => freshDirect(steps, dataDir),
    linea: () => freshLinea(steps, dataDir),
    untracked: () => freshLinea(steps, dataDir, { enableTracker: false }),
    serial: () => freshLinea(steps, dataDir, { maxWorkers: 1 }),
    cold: () => {
      warmStore = freshStore();
      return freshLinea(steps, dataDir, { cache: true, checkpoint: true, ...warmStore });
    },
    warm: () => freshLinea(steps, dataDir, { cache: true, checkpoint: true, ...warmStore }),
    cacheOnly: () => freshLinea(steps, dataDir, { cache: true, checkpoint: false, ...freshStore(), historyDb: false }),
  });
  rmSync(join(BENCH_DIR, "store"), { recursive: true, force: true });
  const danfoImport = await timed(() => loadDanfo());
  const full = await freshLinea(pipelineSteps({ dataDir, outDir }), dataDir);
  const danfo = await danfoConversions(dataDir);
  rmSync(outDir, { recursive: true, force: true });
  const ratio = (medians.linea as number) / (medians.direct as number);
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const m = medians as Record<"direct" | "linea" | "untracked" | "serial" | "cold" | "warm" | "cacheOnly", number>;
  const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const lines: BenchLine[] = [
    { name: "data", value: `${sizes.orders?.toLocaleString("en-US")} orders, ${sizes.customers?.toLocaleString("en-US")} customers, ${sizes.products?.toLocaleString("en-US")} products (CSV)` },
    { name: "same SQL issued directly to DuckDB (medians of 7 alternating runs from here on)", value: s(m.direct) },
    { name: "through linea, tracker on, cache and checkpoints off", value: `${s(m.linea)} = ${x(m.linea, m.direct)} direct`, target: "≤ 1.15×", ok: ratio <= 1.15 },
    { name: "through linea, tracker off (same settings)", value: `${s(m.untracked)}; tracked / untracked = ${x(m.linea, m.untracked)}`, target: "≤ 1.05×", ok: m.linea / m.untracked <= 1.05 },
    { name: "through linea, maxWorkers 1 (no concurrency, like the direct run)", value: `${s(m.serial)} = ${x(m.serial, m.direct)} direct` },
    { name: "cold: everything on (tracker, cache, checkpoint and history writes) in an empty cache", value: `${s(m.cold)} = ${x(m.cold, m.direct)} direct`, target: "≤ 1.15×", ok: m.cold / m.direct <= 1.15 },
    { name: "cold with cache writes only (checkpoints and history off)", value: `${s(m.cacheOnly)} = ${x(m.cacheOnly, m.direct)} direct` },
    { name: "warm: the same run again, every step reused", value: `${s(m.warm)} = ${x(m.warm, m.cold)} cold`, target: "≤ 0.1×", ok: m.warm / m.cold <= 0.1 },
    { name: "whole example pipeline through linea, danfo step included (danfo already imported)", value: s(full) },
    { name: "importing danfojs-node, once per process", value: `${danfoImport.ms.toFixed(0)} ms` },
    { name: `danfo step (on the ${danfo.summaryRows}-row category summary), in that run`, value: `${danfo.stepMs.toFixed(0)} ms` },
    { name: `DuckDB → danfo, ${danfo.rows.toLocaleString("en-US")} rows (customer_revenue)`, value: `${danfo.toDanfo.toFixed(0)} ms` },
    { name: `danfo → DuckDB, same ${danfo.rows.toLocaleString("en-US")} rows`, value: `${danfo.back.toFixed(0)} ms` },
  ];
  printLines("Pipeline on generated data (issue 2/6)", lines);
  return lines;
}
