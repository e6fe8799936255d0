import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/temp-dir.js";
import { project } from "./cli-helpers.js";

function bin(cwd: string, args: string[], onStarted?: (kill: () => void) => void): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/linea.js"), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
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
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe("bin/linea.js", () => {
  it("runs as a command (tsx loads linea and TypeScript pipelines)", async () => {
    const run = await bin(project(), ["plan", join(ROOT, "steps/pipeline.ts")]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^customer_pipeline: 11 steps/);
  });

  it("turns a real SIGINT into an interrupted run with exit code 130", async () => {
    const dir = project();
    const { writeFileSync } = await import("node:fs");
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
