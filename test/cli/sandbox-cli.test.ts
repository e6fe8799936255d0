import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { linea } from "./cli-helpers.js";

/** A user's folder holding a pipeline's project and, beside it, data the pipeline was not given. */
function layout(pipeline: string): { cwd: string; project: string; outside: string } {
  const cwd = tempDir("linea-sandbox-cli-");
  const project = join(cwd, "project");
  const outside = join(cwd, "elsewhere");
  mkdirSync(project);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.csv"), "secret\nhunter2\n");
  writeFileSync(join(project, "p.yaml"), pipeline);
  return { cwd, project, outside };
}

const STEAL = `name: steal
steps:
  - { name: grab, read: ../elsewhere/secret.csv, outputs: [s] }
  - { name: drop, inputs: [s], write: out/s.csv }
`;

describe("the sandbox on the command line", () => {
  it("refuses a pipeline file's path outside its folder: exit 2, the step, the path and how to allow it", async () => {
    const { cwd, project, outside } = layout(STEAL);
    for (const command of ["plan", "run"]) {
      const run = await linea(cwd, [command, "project/p.yaml"]);
      expect(run.code).toBe(2);
      expect(run.err).toBe(
        `linea: Path outside the sandbox: step "grab" reads "../elsewhere/secret.csv" (resolves to ${join(outside, "secret.csv")}). ` +
          `A pipeline reads and writes only under its baseDir ${project}. Move the files under the baseDir, or allow their folders: ` +
          `allowPaths: ["${outside}"] in the options or the pipeline file, or --allow-path ${outside} on the command line.\n`,
      );
    }
  });

  it("widens with --allow-path (repeatable, relative to the current folder) or the file's allowPaths", async () => {
    const { cwd } = layout(STEAL);
    const flagged = await linea(cwd, ["run", "project/p.yaml", "--allow-path", "elsewhere", "--allow-path", "/nonexistent", "--json"]);
    expect(flagged.code).toBe(0);
    expect(JSON.parse(flagged.out).nodes.grab.rowCounts).toEqual({ s: 1 });

    const own = layout(STEAL.replace("steps:", "options: { allowPaths: [../elsewhere] }\nsteps:"));
    expect((await linea(own.cwd, ["plan", "project/p.yaml"])).code).toBe(0);
  });

  it("refuses a sql body that is not one SELECT at plan time, with exit 2", async () => {
    const { cwd } = layout("name: bad\nsteps:\n  - { name: sneaky, outputs: [x], sql: \"INSTALL httpfs\" }\n");
    for (const command of ["plan", "run"]) {
      const run = await linea(cwd, [command, "project/p.yaml"]);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/^linea: Invalid step "sneaky": `sql` must be exactly one SELECT query, found a statement that is not a query: /);
    }
  });

  it("keeps DuckDB out of files beside the project: a SQL step reading one fails with a hint", async () => {
    const { cwd, outside } = layout("name: peek\nsteps:\n  - { name: peek, outputs: [x], sql: \"SELECT * FROM read_csv('../elsewhere/secret.csv')\" }\n");
    const run = await linea(cwd, ["run", "project/p.yaml", "--json"]);
    expect(run.code).toBe(1);
    const message = JSON.parse(run.out).nodes.peek.error.message as string;
    expect(message).toContain("Permission Error: Cannot access file");
    expect(message).not.toContain("hunter2");
    expect(message).toContain("allow its folder with allowPaths (CLI: --allow-path DIR)");
    expect(outside).not.toBe("");
  });
});
