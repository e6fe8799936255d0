// A run starts by sweeping the temporary files that writers which died left in linea's folders: those older
// than an hour, and those whose writer's pid is gone. Fresh ones of live writers, and every other file, stay.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempFileOwner, sweepTempFiles } from "../../src/util/sweep-temp-files.js";
import { tempPathFor } from "../../src/util/atomic-file.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { linea } from "../cli/cli-helpers.js";
import { spoolDirOf } from "../../src/history/history-paths.js";
import { SPOOL_BACKLOG } from "../../src/history/import-spools.js";
import { RunHistory } from "../../src/history/run-history.js";
import { rowsOf, withRawDatabase } from "../history/open-db.js";

function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

const TWO_HOURS_AGO = new Date(Date.now() - 2 * 60 * 60_000);

function plant(path: string, old = false): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "partial");
  if (old) utimesSync(path, TWO_HOURS_AGO, TWO_HOURS_AGO);
  return path;
}

/** A temporary file name as an atomic write of `target` by process `pid` makes it. */
function tempOf(target: string, pid: number): string {
  return tempPathFor(target).replace(`.${process.pid}.`, `.${pid}.`);
}

describe("run housekeeping", () => {
  it("reads the writer's pid from linea's temporary file names", () => {
    expect(tempFileOwner(".run.json.4242.0a1b2c3d.tmp")).toBe(4242);
    expect(tempFileOwner(".ab12.json.17.ff.tmp")).toBe(17);
    expect(tempFileOwner("run.json")).toBeUndefined();
    expect(tempFileOwner("notes.tmp")).toBeUndefined();
  });

  it("removes stale temporary files in linea's folders when a run starts, and keeps fresh ones and everything else", async () => {
    const dir = tempDir("linea-sweep-");
    const linea = join(dir, ".linea");
    const live = process.ppid;
    const dead = deadPid();
    const stale = [
      plant(tempOf(join(linea, "cache/keys/ab/ab12.json"), live), true),
      plant(tempOf(join(linea, "checkpoints/run-x/nodes/0f.json"), process.pid), true),
      plant(tempOf(join(linea, "checkpoints/run-x/run.json"), dead)), // fresh, but its writer is gone
      plant(tempOf(join(linea, "cache/files/12.json"), live), true),
      plant(join(linea, `cache/objects/tmp/${live}-0a0b0c0d0e0f.parquet`), true),
      plant(join(linea, `cache/objects/tmp/${dead}-0a0b0c0d0e0f.parquet`)),
    ];
    const kept = [
      plant(tempOf(join(linea, "cache/keys/cd/cd34.json"), live)),
      plant(tempOf(join(linea, "checkpoints/run-y/run.json"), process.pid)),
      plant(join(linea, `cache/objects/tmp/${live}-0f0e0d0c0b0a.arrow`)),
      plant(join(linea, "cache/keys/ab/ab12.json"), true),
      plant(join(linea, "checkpoints/run-x/notes.tmp"), true),
    ];
    const result = await testOrchestrator({
      name: "sweep", baseDir: dir, cache: true, checkpoint: true, historyDb: join(linea, "history.duckdb"),
      steps: [{ name: "one", outputs: ["one"], run: () => [{ n: 1 }] }],
    }).execute();
    expect(result.status).toBe("success");
    expect(result.warnings).toEqual([]);
    expect(stale.filter((path) => existsSync(path))).toEqual([]);
    expect(kept.filter((path) => !existsSync(path))).toEqual([]);
  }, 60_000);

  it("sweeps the lineage output folder of `linea run --lineage-out` before writing into it", async () => {
    const dir = tempDir("linea-sweep-");
    writeFileSync(join(dir, "pipeline.ts"), 'export const name = "tiny";\nexport const steps = [{ name: "one", outputs: ["one"], run: () => [{ n: 1 }] }];\n');
    const stale = plant(tempOf(join(dir, "out/tiny.json"), deadPid()));
    const fresh = plant(tempOf(join(dir, "out/tiny.html"), process.ppid));
    const run = await linea(dir, ["run", "pipeline.ts", "--lineage-out", "out", "--quiet"]);
    expect(run.code, run.err).toBe(0);
    expect([existsSync(stale), existsSync(fresh), existsSync(join(dir, "out/tiny.json"))]).toEqual([false, true, true]);
  }, 60_000);

  it("sweeps folders only as deep as asked, and never throws for missing ones", async () => {
    const dir = tempDir("linea-sweep-");
    const shallow = plant(tempOf(join(dir, "a.json"), deadPid()));
    const deep = plant(tempOf(join(dir, "x/y/b.json"), deadPid()));
    expect(await sweepTempFiles([{ dir, depth: 1 }, { dir: join(dir, "missing"), depth: 3 }])).toBe(1);
    expect([existsSync(shallow), existsSync(deep)]).toEqual([false, true]);
    expect(await sweepTempFiles([{ dir, depth: 3 }])).toBe(1);
    expect(existsSync(deep)).toBe(false);
  });
});

describe("the history written behind", () => {
  it("leaves each finished run in a spool for readers, until SPOOL_BACKLOG wait: then a run starting imports them", async () => {
    const dir = tempDir("linea-backlog-");
    const dbPath = join(dir, ".linea/history.duckdb");
    const spools = spoolDirOf(dbPath);
    const done = (): string[] => readdirSync(spools).filter((f) => f.endsWith(".done.jsonl"));
    const run = async (): Promise<string> => {
      const result = await testOrchestrator({ name: "backlog", baseDir: dir, historyDb: dbPath, steps: [{ name: "a", outputs: ["a"], run: () => [{ n: 1 }] }] }).execute();
      expect(result.status).toBe("success");
      return result.runId;
    };
    const ids: string[] = [];
    for (let i = 0; i < SPOOL_BACKLOG; i++) ids.push(await run());
    // Nothing opened the database: each run is a finished spool.
    expect(existsSync(dbPath)).toBe(false);
    expect(done()).toHaveLength(SPOOL_BACKLOG);
    // The next run finds the backlog full and takes it in (a run waits for its housekeeping at its end).
    // (Its own record may be taken in too, when it finishes before the import lists the spools; and as the run
    // waits for the import, it may last long enough to write its `running` row.)
    ids.push(await run());
    expect(done().length).toBeLessThanOrEqual(1);
    const raw = await withRawDatabase(dbPath, (c) => rowsOf(c, "SELECT run_id FROM run_summary"));
    expect(raw.map((r) => r.run_id)).toEqual(expect.arrayContaining(ids.slice(0, SPOOL_BACKLOG)));
    // A reader takes in the rest.
    const runs = await new RunHistory(dbPath).runs();
    expect(runs.map((r) => r.runId).sort()).toEqual([...ids].sort());
    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(["success"]));
    expect(done()).toEqual([]);
  }, 120_000);
});
