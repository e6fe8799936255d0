import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/temp-dir.js";
import { project } from "./cli-helpers.js";

function bin(cwd: string, args: string[], onStarted?: (kill: () => void) => void): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, join(ROOT, "test/cli/linea-from-src.ts"), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (onStarted && /\[1\/\d+\] ✓ quick/.test(err)) {
        const fire = onStarted;
        onStarted = undefined;
        fire(() => child.kill("SIGINT"));
      }
    });
    // "close", not "exit": the process can exit before the last of its output has been read from the pipes.
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("the linea process (src/cli/main.ts as bin/linea.js runs it)", () => {
  it("runs as a command", async () => {
    // Not steps/pipeline.ts: its `import { defineStep } from "linea"` means dist/ outside vitest, and
    // these tests run from src/ with no build.
    const dir = project();
    writeFileSync(join(dir, "pipe.ts"), `import type { Step } from "linea";
export const steps: Step[] = [{ name: "one", outputs: ["one"], sql: "SELECT 1 AS x" }];
`);
    const run = await bin(dir, ["plan", "pipe.ts"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^pipe: 1 steps in 1 layers/);
  });

  it("turns a real SIGINT into an interrupted run with exit code 130", async () => {
    const dir = project();
    writeFileSync(join(dir, "long.yaml"), `name: long
steps:
  - { name: quick, outputs: [quick], sql: "SELECT 1 AS one" }
  - { name: grind, inputs: [quick], outputs: [grind], sql: "SELECT count(*) AS c FROM range(30000000000)" }
`);
    const run = await bin(dir, ["run", "long.yaml"], (kill) => setTimeout(kill, 300));
    expect(run.code).toBe(130);
    expect(run.err).toContain("linea: SIGINT: interrupting");
    expect(run.out).toMatch(/finish it with: linea resume run-/);
  });
});
