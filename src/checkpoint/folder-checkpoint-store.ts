import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { StoredResult } from "../cache/stored-output.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { isSafeId } from "../util/ids.js";
import { sha256Hex } from "../util/sha256.js";
import { CheckpointNotFoundError, type LoadedCheckpoint, type RunCheckpoint } from "./run-checkpoint.js";

/**
 * The `CheckpointStore` in a folder (it implements that interface; checkpoint-store.ts checks it): `<dir>/<runId>/run.json` (the manifest) and one file per
 * succeeded step under `nodes/` (named by a hash of the step name, never the name itself), each written
 * atomically, so a crash at any moment leaves only whole records. A step's record points at its outputs in
 * the object store.
 */
export class FolderCheckpointStore {
  readonly dir: string;

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

  async recordNode(runId: string, result: StoredResult): Promise<void> {
    await writeFileAtomic(join(this.runDir(runId), "nodes", `${sha256Hex(result.step).slice(0, 32)}.json`), JSON.stringify(result));
  }

  async flush(): Promise<void> {
    // Every write above is durable when it resolves.
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
}

/** A JSON file's value, or undefined when it cannot be read or parsed (it is skipped, never fatal). */
async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}
