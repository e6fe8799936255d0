import { spawn } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { seeded } from "../../bench/lib.js";
import { ROOT, tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { crashSteps } from "./crash-pipeline.js";

const CRASHES = 24;

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
 * Starts the pipeline in a child process and SIGKILLs it `delayMs` after its `afterSteps`-th step completed
 * (0: after the run began). Kill points follow the run's progress, so they spread the same on a slow machine.
 */
function killMidRun(dir: string, afterSteps: number, delayMs: number): Promise<{ runId: string; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/checkpoint/crash-child.ts"), dir], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let runId: string | undefined;
    let armed = false;
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      runId ??= /started (\S+)\n/.exec(out)?.[1];
      const completed = out.split("\n").filter((line) => line.startsWith("completed ")).length;
      if (runId !== undefined && !armed && completed >= afterSteps) {
        armed = true;
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("exit", () => {
      if (runId === undefined) reject(new Error(`the child never started a run: ${err}`));
      else resolve({ runId, finished: out.includes("done success") });
    });
  });
}

describe("crash safety", () => {
  it(`resumes to the same outputs after a SIGKILL at ${CRASHES} random moments`, async () => {
    const reference = project();
    const full = await testOrchestrator({ name: "crashy", steps: crashSteps(), baseDir: reference, cache: true, checkpoint: true, maxWorkers: 2 }).execute();
    expect(full.status).toBe("success");
    const expected = await outputs(reference);
    const random = seeded(7);
    let finishedBeforeKill = 0;
    const reusedPerCrash: number[] = [];
    for (let i = 0; i < CRASHES; i++) {
      const dir = project();
      const { runId, finished } = await killMidRun(dir, Math.floor(random() * 10), Math.floor(random() * 60));
      if (finished) finishedBeforeKill++;
      const resumed = await testOrchestrator({ name: "crashy", steps: crashSteps(), baseDir: dir, cache: true, checkpoint: true, maxWorkers: 2 }).resume(runId);
      expect(resumed.status, `crash ${i}: ${JSON.stringify(resumed.nodes, null, 1)}`).toBe("success");
      expect(resumed.runId).toBe(runId);
      expect(await outputs(dir)).toEqual(expected);
      reusedPerCrash.push(Object.values(resumed.nodes).filter((n) => n.status === "cached").length);
    }
    // The kills landed at different points: resumes reused different numbers of steps.
    expect(new Set(reusedPerCrash).size).toBeGreaterThan(3);
    // Most kills must land mid-run for the test to mean anything.
    expect(finishedBeforeKill).toBeLessThan(CRASHES / 3);
  }, 300_000);
});
