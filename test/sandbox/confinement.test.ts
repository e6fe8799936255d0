import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidOptionsError, SandboxError, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** A project folder (`base`) with data, and a secret in a folder beside it, linked into the project. */
function project(): { base: string; outside: string } {
  const root = tempDir();
  const base = join(root, "project");
  const outside = join(root, "outside");
  mkdirSync(base);
  mkdirSync(outside);
  writeFileSync(join(base, "in.csv"), "a,b\n1,x\n2,y\n");
  writeFileSync(join(outside, "secret.csv"), "secret\nhunter2\n");
  symlinkSync(join(outside, "secret.csv"), join(base, "link.csv"));
  symlinkSync(outside, join(base, "linkdir"));
  return { base, outside };
}

describe("read and write paths outside baseDir", () => {
  it("are refused when the plan is made, naming the step, the path and how to allow it", () => {
    const { base } = project();
    const steps: Step[] = [
      { name: "steal", read: { path: "../../../../etc/passwd", format: "csv" }, outputs: ["p"] },
      { name: "keep", inputs: ["p"], write: "../../../../tmp/x.csv" },
    ];
    const orchestrator = testOrchestrator({ steps, baseDir: base });
    let error: unknown;
    try {
      orchestrator.plan();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).code).toBe("SANDBOX");
    expect((error as SandboxError).stepName).toBe("steal");
    expect((error as SandboxError).violations.map((v) => [v.stepName, v.access, v.resolved])).toEqual([
      ["steal", "reads", "/etc/passwd"],
      ["keep", "writes", "/tmp/x.csv"],
    ]);
    expect((error as Error).message).toBe(
      'Path outside the sandbox: step "steal" reads "../../../../etc/passwd" (resolves to /etc/passwd); ' +
        'step "keep" writes "../../../../tmp/x.csv" (resolves to /tmp/x.csv). ' +
        `A pipeline reads and writes only under its baseDir ${base}. ` +
        'Move the files under the baseDir, or allow their folders: allowPaths: ["/etc", "/tmp"] in the options or the pipeline file, ' +
        "or --allow-path /etc --allow-path /tmp on the command line.",
    );
  });

  it("refuse execute() before anything runs, absolute paths and links that point out included", async () => {
    const { base, outside } = project();
    for (const read of [join(outside, "secret.csv"), "link.csv", "linkdir/secret.csv"]) {
      let ran = false;
      const steps: Step[] = [
        { name: "first", outputs: ["f"], run: () => { ran = true; return [{ a: 1 }]; } },
        { name: "steal", read, outputs: ["s"] },
      ];
      await expect(testOrchestrator({ steps, baseDir: base }).execute()).rejects.toThrow(
        `Path outside the sandbox: step "steal" reads "${read}"${read.startsWith("/") ? "" : ` (resolves to ${join(outside, "secret.csv")})`}.`,
      );
      expect(ran).toBe(false);
    }
    expect(existsSync(join(base, "s"))).toBe(false);
  });

  it("work under baseDir, and outside it once allowed with allowPaths", async () => {
    const { base, outside } = project();
    const steps: Step[] = [
      { name: "mine", read: "in.csv", outputs: ["mine"] },
      { name: "theirs", read: "link.csv", outputs: ["theirs"] },
      { name: "out", inputs: ["theirs"], write: join(outside, "copy.csv") },
    ];
    const result = await testOrchestrator({ steps, baseDir: base, allowPaths: ["../outside"] }).execute();
    expect(result.status).toBe("success");
    expect(await result.dataMap.get("theirs")?.toRows()).toEqual([{ secret: "hunter2" }]);
    expect(existsSync(join(outside, "copy.csv"))).toBe(true);
  });

  it("allowPaths must be a list of paths", () => {
    expect(() => testOrchestrator({ steps: [], allowPaths: "/etc" as unknown as string[] })).toThrow(
      new InvalidOptionsError("allowPaths", 'Invalid options of pipeline "test": `allowPaths` must be an array of paths (files or folders), got "/etc".'),
    );
  });
});

describe("DuckDB's own file access", () => {
  const sqlSteps = (sql: string): Step[] => [{ name: "s", outputs: ["x"], sql }];

  it("is confined to baseDir: read_csv, read_text, glob and FROM 'file' outside it fail the step", async () => {
    const { base, outside } = project();
    const escapes = [
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM read_text('/etc/hostname')",
      "SELECT * FROM glob('/root/*')",
      `SELECT * FROM '${join(outside, "secret.csv")}'`,
      `SELECT * FROM read_csv('${join(base, "link.csv")}')`,
      `SELECT * FROM read_csv('${join(base, "linkdir", "secret.csv")}')`,
      `SELECT * FROM read_csv('${join(base, "..", "outside", "secret.csv")}')`,
    ];
    for (const sql of escapes) {
      const result = await testOrchestrator({ steps: sqlSteps(sql), baseDir: base }).execute();
      const message = result.nodes.s?.error?.message ?? "";
      expect(result.status, sql).toBe("failed");
      expect(message, sql).toMatch(/^Step "s" failed: Permission Error: Cannot access (file|directory) ".*" - file system operations are disabled by configuration/);
      expect(message, sql).toContain(`linea lets DuckDB open files only under the pipeline's baseDir (${base}) and its allowed paths: move the file there, or allow its folder with allowPaths (CLI: --allow-path DIR).`);
    }
  });

  it("reaches files under baseDir and allowed paths", async () => {
    const { base, outside } = project();
    const steps: Step[] = [
      { name: "mine", outputs: ["mine"], sql: `SELECT * FROM '${join(base, "in.csv")}'` },
      { name: "listed", outputs: ["listed"], sql: `SELECT count(*) AS n FROM glob('${join(base, "*.csv")}')` },
      { name: "theirs", outputs: ["theirs"], sql: `SELECT * FROM read_csv('${join(base, "link.csv")}')` },
    ];
    const result = await testOrchestrator({ steps, baseDir: base, allowPaths: [outside] }).execute();
    expect(result.status).toBe("success");
    expect(await result.dataMap.get("mine")?.rowCount()).toBe(2);
    expect(await result.dataMap.get("theirs")?.toRows()).toEqual([{ secret: "hunter2" }]);
  });

  it("cannot be undone from a run step's DuckDB connection: settings are locked, extensions cannot load", async () => {
    const { base } = project();
    const outcomes: string[] = [];
    const attempts = [
      "SET enable_external_access = true",
      "SET allowed_directories = ['/']",
      "RESET lock_configuration",
      "LOAD httpfs",
      "ATTACH '/tmp/linea-sandbox-test.db' AS other",
      "COPY (SELECT 1) TO '/tmp/linea-sandbox-test.csv'",
    ];
    const steps: Step[] = [{
      name: "sneaky", outputs: ["x"], engine: "duckdb",
      run: async (_inputs, ctx) => {
        const connection = await ctx.duckdb.connection();
        for (const sql of attempts) outcomes.push(await connection.run(sql).then(() => "done", (e: Error) => e.message.split("\n")[0] ?? ""));
        return ctx.duckdb.sql("SELECT 1 AS one");
      },
    }];
    const result = await testOrchestrator({ steps, baseDir: base }).execute();
    expect(result.status).toBe("success");
    expect(outcomes).toEqual([
      'Invalid Input Error: Cannot change configuration option "enable_external_access" - the configuration has been locked',
      'Invalid Input Error: Cannot change configuration option "allowed_directories" - the configuration has been locked',
      'Invalid Input Error: Cannot change configuration option "lock_configuration" - the configuration has been locked',
      "Permission Error: Loading external extensions is disabled through configuration",
      'Permission Error: Cannot access file "/tmp/linea-sandbox-test.db" - file system operations are disabled by configuration',
      'Permission Error: Cannot access file "/tmp/linea-sandbox-test.csv" - file system operations are disabled by configuration',
    ]);
    expect(existsSync("/tmp/linea-sandbox-test.csv")).toBe(false);
  });

  it("still stores results in linea's own cache folder outside baseDir", async () => {
    const { base } = project();
    const cacheDir = join(tempDir(), "cache");
    const steps: Step[] = [{ name: "mine", outputs: ["mine"], sql: "SELECT range AS n FROM range(3)" }];
    const first = await testOrchestrator({ steps, baseDir: base, cache: true, cacheDir }).execute();
    expect(first.warnings).toEqual([]);
    const second = await testOrchestrator({ steps, baseDir: base, cache: true, cacheDir }).execute();
    expect(second.nodes.mine?.status).toBe("cached");
    expect(await second.dataMap.get("mine")?.rowCount()).toBe(3);
  });

  it("cannot be widened through duckdb.config: allowPaths is the way", () => {
    expect(() => testOrchestrator({ steps: [], duckdb: { config: { enable_external_access: "true" } } })).toThrow(
      'Invalid options of pipeline "test": `duckdb` must not set `enable_external_access` in `config`: linea confines DuckDB\'s file access to the pipeline\'s baseDir (widen it with `allowPaths`), got an object.',
    );
  });
});
