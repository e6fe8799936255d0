// In-memory implementations of the core's store interfaces, written for the tests: the contract suites run
// over them and over the default ones, and a run given them as instances must behave as with the folders.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { tempDir } from "./temp-dir.js";
import {
  CheckpointNotFoundError, type CacheIndex, type CheckpointStore, type HistoryRunRecorder, type HistoryStore, type KeyEntry,
  type ListedObject, type LoadedCheckpoint, type ObjectStore, type RunCheckpoint, type RunDetail, type RunIdentity,
  type RunFilter, type RunLogRow, type RunSummaryRow, type StoredFormat, type StoredObject, type StoredResult,
} from "../../src/index.js";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** Objects as byte arrays in a Map; engines read them from checked copies in a scratch folder (as a remote store would). */
export class MemoryObjectStore implements ObjectStore {
  readonly location = "memory:objects";
  readonly objects = new Map<string, { bytes: Uint8Array; format: StoredFormat; mtimeMs: number }>();
  private readonly scratch = tempDir("linea-memory-objects-");
  readonly localDirectories = [this.scratch];

  constructor(private readonly clock: () => number = Date.now) {}

  async tempPath(format: StoredFormat): Promise<string> {
    mkdirSync(join(this.scratch, "tmp"), { recursive: true });
    return join(this.scratch, "tmp", `${randomBytes(6).toString("hex")}.${format}`);
  }

  async put(localPath: string, format: StoredFormat, knownSha256?: string): Promise<StoredObject> {
    try {
      const bytes = new Uint8Array(await readFile(localPath));
      const hash = knownSha256 ?? sha256(bytes);
      if (!this.objects.has(hash)) this.objects.set(hash, { bytes, format, mtimeMs: this.clock() });
      return { sha256: hash, format, bytes: bytes.byteLength };
    } finally {
      await rm(localPath, { force: true });
    }
  }

  async has(object: StoredObject): Promise<boolean> {
    return this.objects.has(object.sha256);
  }

  async verify(object: StoredObject): Promise<boolean> {
    const found = this.objects.get(object.sha256);
    if (found === undefined) return false;
    if (sha256(found.bytes) === object.sha256) return true;
    this.objects.delete(object.sha256);
    return false;
  }

  async localFile(object: StoredObject): Promise<string | undefined> {
    if (!(await this.verify(object))) return undefined;
    const path = join(this.scratch, `${object.sha256}.${object.format}`);
    await writeFile(path, (this.objects.get(object.sha256) as { bytes: Uint8Array }).bytes);
    return path;
  }

  async getFile(object: StoredObject, destination: string): Promise<void> {
    if (!(await this.verify(object))) throw new Error(`stored object ${object.sha256} is missing or corrupted in ${this.location}`);
    await writeFile(destination, (this.objects.get(object.sha256) as { bytes: Uint8Array }).bytes);
  }

  async getStream(object: StoredObject): Promise<Readable> {
    const found = this.objects.get(object.sha256);
    if (found === undefined) throw new Error(`stored object ${object.sha256} is missing in ${this.location}`);
    return Readable.from([Buffer.from(found.bytes)]);
  }

  async list(): Promise<ListedObject[]> {
    return [...this.objects].map(([hash, o]) => ({ sha256: hash, format: o.format, bytes: o.bytes.byteLength, mtimeMs: o.mtimeMs }));
  }

  async remove(object: Pick<StoredObject, "sha256" | "format">): Promise<void> {
    this.objects.delete(object.sha256);
  }

  async sweepTemp(): Promise<void> {
    await rm(join(this.scratch, "tmp"), { recursive: true, force: true });
  }

  /** Flips a byte of an object, as a failing disk would. */
  corrupt(hash: string): void {
    const found = this.objects.get(hash);
    if (found) found.bytes[0] = (found.bytes[0] ?? 0) ^ 0xff;
  }
}

/** Cache entries in a Map (copies in and out, as a real index would hand out fresh objects). */
export class MemoryCacheIndex implements CacheIndex {
  readonly location = "memory:keys";
  readonly entries = new Map<string, KeyEntry>();

  async get(key: string): Promise<KeyEntry | undefined> {
    const entry = this.entries.get(key);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  async put(entry: KeyEntry): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(entry.key)) throw new Error(`not a cache key: ${JSON.stringify(entry.key)}`);
    this.entries.set(entry.key, structuredClone(entry));
  }

  async touch(entry: KeyEntry, now: string = new Date().toISOString()): Promise<void> {
    await this.put({ ...entry, hits: entry.hits + 1, lastUsed: now });
  }

  async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async list(): Promise<KeyEntry[]> {
    return [...this.entries.values()].map((e) => structuredClone(e));
  }
}

/** Checkpoints in Maps: a manifest and the records of each run. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly location = "memory:checkpoints";
  readonly runs = new Map<string, { run: RunCheckpoint | undefined; nodes: Map<string, StoredResult> }>();

  private runOf(runId: string): { run: RunCheckpoint | undefined; nodes: Map<string, StoredResult> } {
    if (!/^[A-Za-z0-9_.-]+$/.test(runId)) throw new CheckpointNotFoundError(runId, this.location);
    return this.runs.get(runId) ?? this.runs.set(runId, { run: undefined, nodes: new Map() }).get(runId) as never;
  }

  async write(run: RunCheckpoint): Promise<void> {
    this.runOf(run.runId).run = structuredClone(run);
  }

  async recordNode(runId: string, result: StoredResult): Promise<void> {
    this.runOf(runId).nodes.set(result.step, structuredClone(result));
  }

  async flush(): Promise<void> {}

  async load(runId: string): Promise<LoadedCheckpoint> {
    const found = /^[A-Za-z0-9_.-]+$/.test(runId) ? this.runs.get(runId) : undefined;
    if (found?.run === undefined) throw new CheckpointNotFoundError(runId, this.location);
    return { run: structuredClone(found.run), nodes: new Map([...found.nodes].map(([k, v]) => [k, structuredClone(v)])) };
  }

  async list(): Promise<RunCheckpoint[]> {
    return [...this.runs.values()].flatMap((r) => (r.run ? [structuredClone(r.run)] : [])).sort((a, b) => b.startTime.localeCompare(a.startTime));
  }

  async remove(runId: string): Promise<void> {
    this.runOf(runId);
    this.runs.delete(runId);
  }
}

/** What the memory history keeps of one run attempt. */
interface MemoryAttempt {
  readonly run: RunIdentity;
  summary: RunSummaryRow;
  readonly log: RunLogRow[];
}

/** The history in memory: summary rows and event logs per run attempt (what the HistoryStore contract reads). */
export class MemoryHistoryStore implements HistoryStore {
  readonly location = "memory:history";
  readonly attempts: MemoryAttempt[] = [];

  constructor(private readonly clock: () => string = () => new Date().toISOString()) {}

  recorder(run: RunIdentity, warn: (message: string) => void): HistoryRunRecorder {
    const attempt: MemoryAttempt = {
      run, log: [],
      summary: {
        runId: run.runId, attempt: run.attempt, pipelineName: run.pipelineName, batchRunId: run.batchRunId, pipelinePath: undefined,
        status: "running", startTime: this.clock(), endTime: undefined, durationMs: undefined, stepCount: undefined, counts: undefined,
        exitCode: undefined, policy: undefined, pid: process.pid, recordedAt: this.clock(),
      },
    };
    const keep = (): void => {
      if (!this.attempts.includes(attempt)) this.attempts.push(attempt);
    };
    let finished = false;
    return {
      begin: async (info) => {
        attempt.summary = { ...attempt.summary, startTime: info.startTime, pipelinePath: info.pipelinePath, policy: info.policy, recordedAt: this.clock() };
        keep();
      },
      record: (type, payload) => {
        if (finished) return;
        const p = payload as unknown as Record<string, unknown>;
        attempt.log.push({
          runId: run.runId, attempt: run.attempt, seq: attempt.log.length + 1, eventType: type,
          timestamp: p.timestamp as string | undefined, stepName: p.stepName as string | undefined, payload: structuredClone(p),
        });
      },
      flush: async () => undefined,
      finish: async (result, details) => {
        if (finished) return;
        finished = true;
        try {
          keep();
          attempt.summary = {
            ...attempt.summary, status: result.interrupted ? "interrupted" : result.status, startTime: result.startTime, endTime: result.endTime,
            durationMs: result.durationMs, stepCount: Object.keys(result.nodes).length, counts: result.counts, exitCode: details.exitCode,
            policy: details.policy, recordedAt: this.clock(),
          };
        } catch (error) {
          warn(String(error));
        }
      },
    };
  }

  async runs(filter: RunFilter = {}): Promise<RunSummaryRow[]> {
    const rows = this.attempts.map((a) => a.summary)
      .filter((s) => (filter.pipeline === undefined || s.pipelineName === filter.pipeline) && (filter.status === undefined || s.status === filter.status));
    rows.sort((a, b) => b.startTime.localeCompare(a.startTime) || b.attempt - a.attempt);
    return rows.slice(0, filter.limit ?? rows.length);
  }

  async run(runId: string): Promise<RunDetail | undefined> {
    const attempts = this.attempts.filter((a) => a.run.runId === runId).sort((a, b) => a.run.attempt - b.run.attempt);
    if (attempts.length === 0) return undefined;
    return { runId, attempts: attempts.map((a) => ({ summary: a.summary, nodes: [], stepAttempts: [], log: [...a.log], snapshot: undefined, lineage: undefined })) };
  }

  async importOrphans(): Promise<void> {
    // Nothing outlives this process.
  }
}
