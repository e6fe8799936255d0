import { createHash } from "node:crypto";
import type { StoredResult } from "../cache/stored-output.js";
import type { CheckpointStore } from "../checkpoint/checkpoint-store.js";
import { CheckpointNotFoundError, type LoadedCheckpoint, type RunCheckpoint } from "../checkpoint/run-checkpoint.js";
import { isSafeId } from "../util/ids.js";
import type { BlobStore } from "./blob-store.js";

/** The prefix of checkpoints in a blob store. */
const CHECKPOINTS = "checkpoints/";

/** One step's record. */
interface NodeRecord {
  readonly format: 1;
  readonly result: StoredResult;
}

const hashOf = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The {@link CheckpointStore} in a {@link BlobStore} (S3, or a shared folder), so that `linea resume` on
 * another machine finds a run's checkpoint: `checkpoints/<run>/run.json` (the manifest) and one text per
 * succeeded step, `checkpoints/<run>/nodes/<step hash>.json`, replaced by the step's later records (a blob
 * store cannot append). `<run>` is the run id in the store's key alphabet (lowercase, with a hash of the id
 * to keep ids apart that differ only in case). Every write is whole or absent; `recordNode` resolves once the
 * record is stored, and records of one step are written in order.
 */
export class BlobCheckpointStore implements CheckpointStore {
  /** Writes under way, by their key: a step's later record waits for its earlier one. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(readonly blobs: BlobStore) {}

  get location(): string {
    return `${this.blobs.address} (${CHECKPOINTS})`;
  }

  private runPrefix(runId: string): string {
    if (!isSafeId(runId)) throw new CheckpointNotFoundError(runId, this.location);
    return `${CHECKPOINTS}${runId.toLowerCase().replace(/[^a-z0-9_-]/g, "_")}-${hashOf(runId).slice(0, 8)}/`;
  }

  async write(run: RunCheckpoint): Promise<void> {
    await this.inOrder(`${this.runPrefix(run.runId)}run.json`, JSON.stringify(run, null, 2));
  }

  async recordNode(runId: string, result: StoredResult): Promise<void> {
    const record: NodeRecord = { format: 1, result };
    await this.inOrder(`${this.runPrefix(runId)}nodes/${hashOf(result.step).slice(0, 32)}.json`, JSON.stringify(record));
  }

  async flush(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing.values()]);
  }

  async load(runId: string): Promise<LoadedCheckpoint> {
    const prefix = this.runPrefix(runId);
    await this.flush();
    const manifest = parse<RunCheckpoint>(await this.blobs.getText(`${prefix}run.json`));
    if (manifest?.runId !== runId) throw new CheckpointNotFoundError(runId, this.location);
    const nodes = new Map<string, StoredResult>();
    const keys = (await this.blobs.list(`${prefix}nodes/`)).filter((key) => key.endsWith(".json"));
    for (let i = 0; i < keys.length; i += 64) {
      const texts = await Promise.all(keys.slice(i, i + 64).map((key) => this.blobs.getText(key)));
      for (const text of texts) {
        const record = parse<Partial<NodeRecord>>(text);
        if (record?.format === 1 && typeof record.result?.step === "string") nodes.set(record.result.step, record.result);
      }
    }
    return { run: manifest, nodes };
  }

  async list(): Promise<RunCheckpoint[]> {
    const keys = (await this.blobs.list(CHECKPOINTS)).filter((key) => /^checkpoints\/[^/]+\/run\.json$/.test(key));
    const runs: RunCheckpoint[] = [];
    for (let i = 0; i < keys.length; i += 64) {
      for (const text of await Promise.all(keys.slice(i, i + 64).map((key) => this.blobs.getText(key)))) {
        const run = parse<RunCheckpoint>(text);
        if (run !== undefined && typeof run.runId === "string" && typeof run.startTime === "string") runs.push(run);
      }
    }
    return runs.sort((a, b) => b.startTime.localeCompare(a.startTime));
  }

  /** Deletes a run's checkpoint: the manifest first (then `list` and `load` no longer find it), then its records. */
  async remove(runId: string): Promise<void> {
    const prefix = this.runPrefix(runId);
    await this.flush();
    await this.blobs.remove(`${prefix}run.json`);
    const keys = await this.blobs.list(prefix);
    for (let i = 0; i < keys.length; i += 64) await Promise.all(keys.slice(i, i + 64).map((key) => this.blobs.remove(key)));
  }

  /** Writes `text` under `key` once the earlier write of that key is done (the latest write wins). */
  private inOrder(key: string, text: string): Promise<void> {
    const before = this.writing.get(key) ?? Promise.resolve();
    const write = before.catch(() => undefined).then(() => this.blobs.putText(key, text));
    this.writing.set(key, write);
    const done = (): void => {
      if (this.writing.get(key) === write) this.writing.delete(key);
    };
    write.then(done, done);
    return write;
  }
}

/** A JSON text's value, or undefined when there is none or it does not parse (skipped, never fatal). */
function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
