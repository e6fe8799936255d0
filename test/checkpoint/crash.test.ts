import { spawn } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { crashSteps } from "./crash-pipeline.js";

function project(): string {
  const dir = tempDir("linea-crash-");
  for (const file of ["orders.csv", "customers.csv"]) copyFileSync(join(ROOT, "fixtures", file), join(dir, file));
  return dir;
}

/** The outputs a run leaves: the CSVs byte for byte, the Parquet file's rows in order. */
async function outputs(dir: string): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(`SELECT * FROM '${join(dir, "out/joined.parquet")}'`)).getRowsJson();
    return {
      segments: readFileSync(join(dir, "out/segments.csv"), "utf8"),
      days: readFileSync(join(dir, "out/days.csv"), "utf8"),
      joined: JSON.stringify(rows),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The kill points, each the n-th call of a store operation (before or after it) or the n-th completed step:
 * right after the first manifest, mid-way through storing objects, between an object and the cache entry
 * and checkpoint record that point at it, between steps, and just before the final manifest.
 */
const KILL_POINTS = [
  "checkpoints.write:1:after",
  "objects.put:1:before",
  "index.put:3:before",
  "checkpoints.recordNode:5:after",
  "checkpoints.write:2:before",
] as const;

/** Runs the pipeline in a child process that SIGKILLs itself at `killPoint`; the run id is its checkpoint's. */
function killAt(dir: string, killPoint: string): Promise<{ runId: string; finished: boolean; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/checkpoint/crash-child.ts"), dir, killPoint], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    // "close", not "exit": the process can exit before the last of its output has been read from the pipes.
    child.on("close", (_code, signal) => {
      let names: string[] = [];
      try {
        names = readdirSync(join(dir, ".linea/checkpoints"));
      } catch {
        // no checkpoint folder: reported below
      }
      const [runId] = names.filter((f) => f.startsWith("run-"));
      if (runId === undefined) reject(new Error(`the child left no checkpoint (killed at ${killPoint}): ${err}`));
      else resolve({ runId, finished: out.includes("done success"), signal });
    });
    child.on("error", reject);
  });
}

describe("crash safety", () => {
  it(`resumes to the same outputs after a SIGKILL at each of ${KILL_POINTS.length} deterministic kill points`, async () => {
    const reference = project();
    const full = await testOrchestrator({ name: "crashy", steps: crashSteps(), baseDir: reference, cache: true, checkpoint: true, maxWorkers: 2 }).execute();
    expect(full.status).toBe("success");
    const expected = await outputs(reference);
    const reusedPerCrash: number[] = [];
    for (const killPoint of KILL_POINTS) {
      const dir = project();
      const { runId, finished, signal } = await killAt(dir, killPoint);
      expect({ killPoint, finished, signal }).toEqual({ killPoint, finished: false, signal: "SIGKILL" });
      const resumed = await testOrchestrator({ name: "crashy", steps: crashSteps(), baseDir: dir, cache: true, checkpoint: true, maxWorkers: 2 }).resume(runId);
      expect(resumed.status, `${killPoint}: ${JSON.stringify(resumed.nodes, null, 1)}`).toBe("success");
      expect(resumed.runId).toBe(runId);
      expect(await outputs(dir), killPoint).toEqual(expected);
      reusedPerCrash.push(Object.values(resumed.nodes).filter((n) => n.status === "cached").length);
    }
    // The kill points are at different stages of the run: resumes reused different numbers of steps.
    expect(reusedPerCrash[0]).toBe(0);
    expect(new Set(reusedPerCrash).size).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
