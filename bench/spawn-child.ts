import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

/** What one measurement in a fresh process reports. */
export interface ChildResult {
  readonly ms: number;
  /** For the DAG: of `ms`, the time `new Orchestrator` took (validating and normalizing the step declarations). */
  readonly declareMs?: number;
  /** For the DAG with the tracker on: building the lineage document after the run (its records made whole when first read). */
  readonly lineageMs?: number;
  readonly maxRssKb: number;
  readonly persisted?: readonly string[];
}

/** Runs one measurement of bench/child.ts in a fresh node process. */
export function measureInChild(args: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    // On close (its pipes drained), not exit: the last line may arrive after the exit event.
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`bench child ${args.join(" ")} failed (exit ${code}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

/** The median of some numbers. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
