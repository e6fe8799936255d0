// What a run in which every step is reused loads: not danfo (its step is cached), not DuckDB, nor anything only other
// features need (the AWS SDK, bullmq, ioredis, pg, ELK once the graph's layout is kept, ajv and yaml for a
// module pipeline). A module probe (module-probe.mjs) lists what the process loaded; no timing is asserted.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/temp-dir.js";
import { EXAMPLE, project } from "./cli-helpers.js";

const TSX = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const PROBE = pathToFileURL(join(ROOT, "test/cli/module-probe.mjs")).href;

/** Runs `linea <args>` from src/ in its own process under the module probe; the packages it loaded. */
function probedRun(cwd: string, args: string[], probeFile: string): Promise<{ code: number | null; out: string; packages: Set<string> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", TSX, "--import", PROBE, join(ROOT, "test/cli/linea-from-src.ts"), ...args], {
      cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LINEA_MODULE_PROBE: probeFile, NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    // "close", not "exit": the process can exit before the last of its output has been read from the pipes.
    child.on("close", (code) => {
      const packages = new Set(readFileSync(probeFile, "utf8").split("\n").flatMap((m) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1] ?? []));
      resolve({ code, out, packages });
    });
  });
}

const NOT_WHEN_CACHED = ["danfojs-node", "@duckdb/node-api", "@aws-sdk/client-s3", "bullmq", "ioredis", "pg", "elkjs", "ajv", "yaml"];

describe("start-up of a run in which every step is reused", () => {
  // Two whole runs of the example in processes of their own: the limit only stops a hung process.
  it("loads neither danfo nor what other features need", { timeout: 600_000 }, async () => {
    const dir = project();
    const args = ["run", EXAMPLE, "--lineage-out", "lineage-out"];
    const first = await probedRun(dir, args, join(dir, "first.txt"));
    expect(first.code, first.out).toBe(0);
    // The probe sees them when they are used: the danfo step ran, and the report's graph was laid out.
    expect(first.packages).toContain("danfojs-node");
    expect(first.packages).toContain("elkjs");
    expect(first.packages).toContain("@duckdb/node-api");
    const cached = await probedRun(dir, args, join(dir, "cached.txt"));
    expect(cached.code, cached.out).toBe(0);
    expect(cached.out).toMatch(/success in .* \(11 cached\)/);
    // Nor DuckDB: its SQL passed its checks before, its outputs are reused, and the history is written behind.
    expect(NOT_WHEN_CACHED.filter((name) => cached.packages.has(name))).toEqual([]);
  });
});
