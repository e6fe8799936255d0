import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { StoredResult } from "../cache/stored-output.js";
import { takeStoredResultJson } from "../cache/stored-result-json.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { isSafeId } from "../util/ids.js";
import { readRecordLog, RecordLog } from "../util/record-log.js";
import { CheckpointNotFoundError, type LoadedCheckpoint, type RunCheckpoint } from "./run-checkpoint.js";

/** The name of a run's step log in its folder. */
export const NODE_LOG = "nodes.log";

/** One line of a run's step log. */
interface NodeRecord {
  readonly format: 1;
  readonly result: StoredResult;
}

/**
 * The `CheckpointStore` in a folder (it implements that interface; checkpoint-store.ts checks it):
 * `<dir>/<runId>/run.json` (the manifest, written atomically) and `<dir>/<runId>/nodes.log`, one append-only
 * log of the run's step records (every attempt of the run appends to it; the latest record of a step wins).
 * Each record is a checksummed line; records are written in batches, each synced once (a file per step cost
 * a synced file per step), and `recordNode` resolves when its batch is durable. A crash mid-append leaves a
 * torn last line, which `load` skips, as it skips any line whose checksum fails. A step's record points at
 * its outputs in the object store (or holds a small output itself). Checkpoints of earlier versions, a file
 * per step under `nodes/`, are still read.
 */
export class FolderCheckpointStore {
  readonly dir: string;
  private readonly logs = new Map<string, RecordLog>();

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get location(): string {
    return this.dir;
  }

  private runDir(runId: string): string {
    if (!isSafeId(runId)) throw new CheckpointNotFoundError(runId, this.dir);
    return join(this.dir, runId);
  }

  async write(run: RunCheckpoint): Promise<void> {
    await writeFileAtomic(join(this.runDir(run.runId), "run.json"), JSON.stringify(run, null, 2));
  }

  private logOf(runId: string): RecordLog {
    let log = this.logs.get(runId);
    if (log === undefined) {
      log = new RecordLog(join(this.runDir(runId), NODE_LOG));
      this.logs.set(runId, log);
    }
    return log;
  }

  recordNode(runId: string, result: StoredResult): Promise<void> {
    // A NodeRecord, `{ format: 1, result }`, from the result's text (the cache index wrote it already). No
    // async function: the batch's promise is the record's (one promise per batch, not two per step).
    try {
      return this.logOf(runId).appendJson(`{"format":1,"result":${takeStoredResultJson(result)}}`);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.logs.values()].map((log) => log.flush()));
  }

  async load(runId: string): Promise<LoadedCheckpoint> {
    const dir = this.runDir(runId);
    let run: RunCheckpoint;
    try {
      run = JSON.parse(await readFile(join(dir, "run.json"), "utf8")) as RunCheckpoint;
    } catch {
      throw new CheckpointNotFoundError(runId, this.dir);
    }
    const nodes = new Map<string, StoredResult>();
    for (const file of await readdir(join(dir, "nodes")).catch(() => [] as string[])) {
      if (!file.endsWith(".json")) continue;
      const result = await readJson<StoredResult>(join(dir, "nodes", file));
      if (result !== undefined && typeof result.step === "string") nodes.set(result.step, result);
    }
    await this.logs.get(runId)?.flush();
    for (const record of await readRecordLog(join(dir, NODE_LOG))) {
      const result = (record as Partial<NodeRecord>).result;
      if ((record as Partial<NodeRecord>).format === 1 && typeof result?.step === "string") nodes.set(result.step, result);
    }
    return { run, nodes };
  }

  async list(): Promise<RunCheckpoint[]> {
    const runs: RunCheckpoint[] = [];
    for (const runId of await readdir(this.dir).catch(() => [] as string[])) {
      if (!isSafeId(runId)) continue;
      const run = await readJson<RunCheckpoint>(join(this.dir, runId, "run.json"));
      if (run !== undefined) runs.push(run);
    }
    return runs.sort((a, b) => b.startTime.localeCompare(a.startTime));
  }

  /**
   * Deletes a run's folder: renamed away first (atomic: `list` and `load` no longer see it), then removed;
   * folders a removal cut short left (`.removing-*`, which no run id can be) are removed with the next one.
   */
  async remove(runId: string): Promise<void> {
    const dir = this.runDir(runId);
    await this.logs.get(runId)?.flush();
    this.logs.delete(runId);
    const away = join(this.dir, `${REMOVING}${runId}-${randomBytes(4).toString("hex")}`);
    try {
      await rename(dir, away);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const leftovers = (await readdir(this.dir).catch(() => [] as string[])).filter((name) => name.startsWith(REMOVING));
    await Promise.all(leftovers.map((name) => rm(join(this.dir, name), { recursive: true, force: true })));
  }
}

/** The prefix of a run folder being removed. */
const REMOVING = ".removing-";

/** A JSON file's value, or undefined when it cannot be read or parsed (it is skipped, never fatal). */
async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}
