import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Step } from "../src/index.js";
import { printLines, seeded, type BenchLine } from "./lib.js";
import { measureInChild, medianOf } from "./spawn-child.js";

/** `count` tiny row steps, each reading up to 3 earlier steps' outputs (seeded: the same DAG every run). */
export function wideDag(count: number): Step[] {
  const random = seeded(42);
  return Array.from({ length: count }, (_, i) => {
    const inputs = new Set<string>();
    const fanIn = i === 0 ? 0 : 1 + Math.floor(random() * 3);
    for (let k = 0; k < fanIn; k++) inputs.add(`d${Math.floor(random() * i)}`);
    return { name: `s${i}`, inputs: [...inputs], outputs: [`d${i}`], run: () => [{ i }] };
  });
}

export const DAG_STEPS = Number(process.env.LINEA_BENCH_DAG_STEPS ?? 10_000);
const RUNS = Number(process.env.LINEA_BENCH_DAG_RUNS ?? 3);

/**
 * The issue-14 DAG figures: a 10,000-step DAG of tiny row steps (fan-in up to 3), plan + execute, each run
 * in a fresh process: everything off (tracker too), tracker on, everything on (tracker, cache, checkpoints,
 * history) in an empty store. Medians of LINEA_BENCH_DAG_RUNS alternating runs.
 */
export async function runDagBench(scratch: string): Promise<BenchLine[]> {
  const times: Record<"off" | "tracker" | "on", number[]> = { off: [], tracker: [], on: [] };
  const declaring: number[] = [];
  const lineage: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ["off", "tracker", "on"] as const) {
      const store = join(scratch, "dag-store");
      rmSync(store, { recursive: true, force: true });
      mkdirSync(store, { recursive: true });
      const { ms, declareMs, lineageMs } = await measureInChild(["dag", mode, String(DAG_STEPS), ...(mode === "on" ? [store] : [])]);
      times[mode].push((ms * 1000) / DAG_STEPS);
      if (mode === "off" && declareMs !== undefined) declaring.push((declareMs * 1000) / DAG_STEPS);
      if (mode === "tracker" && lineageMs !== undefined) lineage.push((lineageMs * 1000) / DAG_STEPS);
    }
  }
  rmSync(join(scratch, "dag-store"), { recursive: true, force: true });
  const us = (mode: keyof typeof times): number => medianOf(times[mode]);
  const all = (mode: keyof typeof times): string => times[mode].map((t) => t.toFixed(0)).join(", ");
  const lines: BenchLine[] = [
    { name: `${DAG_STEPS.toLocaleString("en-US")}-step DAG, fresh process, plan + execute, everything off`, value: `${us("off").toFixed(1)} µs/step (runs: ${all("off")})`, target: "≤ 30 µs", ok: us("off") <= 30 },
    { name: "same, tracker on", value: `${us("tracker").toFixed(1)} µs/step (runs: ${all("tracker")})`, target: "≤ 45 µs", ok: us("tracker") <= 45 },
    { name: "same, everything on (tracker, cache, checkpoints, history), empty store", value: `${us("on").toFixed(1)} µs/step (runs: ${all("on")})`, target: "≤ 150 µs", ok: us("on") <= 150 },
    { name: "of the run with everything off, declaring the steps (new Orchestrator: each declaration validated and normalized)", value: `${medianOf(declaring).toFixed(1)} µs/step` },
    { name: "after the run with the tracker on, reading it: the lineage document built (its records made whole when first read)", value: `${medianOf(lineage).toFixed(1)} µs/step` },
  ];
  printLines(`DAG of tiny steps (issue 14; medians of ${RUNS} runs, each in a fresh process)`, lines);
  return lines;
}
