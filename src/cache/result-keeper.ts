import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { DataMap } from "../data/data-map.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import type { CacheIndex, KeyEntry } from "./cache-index.js";
import { evictCache } from "./evict-cache.js";
import type { FileVersions } from "./file-versions.js";
import { hashFile } from "./fingerprint.js";
import type { NodeDecision } from "./node-decision.js";
import type { ObjectStore } from "./object-store.js";
import type { ReusePlan } from "./reuse-planner.js";
import { decidePersist, DEFAULT_PERSIST_SMALL_CELLS, machineSlowdown, type PersistSettings } from "./persist-policy.js";
import { inlineOutput, inlineOutputNow, loadStoredData, NOT_INLINE, notKeptOutput, sourceFileOutput, storedForm, storeOutput, storeWrittenParquet } from "./store-output.js";
import type { PersistedOutput, StoredOutput, StoredResult, WrittenFile } from "./stored-output.js";
import { keyEntryOf } from "./stored-result-json.js";
import { keyedRecord } from "../util/keyed-record.js";
import { PendingWork } from "../util/pending-work.js";
import { nowIso } from "../util/clock.js";

/** The waiting outputs of a result that waits for none (most: shared, never added to). */
const NONE_WAITING: Set<string> = new Set();

/** Why a small output is kept inline (the run's log of what it kept). */
const INLINE_REASON = "small: kept in its record";

/** What the keeper needs. */
export interface ResultKeeperOptions {
  readonly objects: ObjectStore;
  readonly index: CacheIndex;
  readonly fileVersions: FileVersions;
  readonly plan: ReusePlan;
  readonly specs: readonly StepSpec[];
  readonly baseDir: string;
  readonly pipelineName: string;
  readonly maxBytes: number;
  readonly warn: (message: string) => void;
  /** Which outputs to keep. @default { mode: "auto", smallCells: DEFAULT_PERSIST_SMALL_CELLS } */
  readonly persist?: PersistSettings;
  /** The current time, ISO (for cache entries). @default the clock */
  readonly now?: () => string;
}

/** A succeeded node whose result waits for outputs a Parquet write step writes (kept once they are). */
interface Unfinished {
  readonly spec: StepSpec;
  readonly decision: NodeDecision & { key: string };
  readonly stored: Record<string, StoredOutput>;
  readonly handles: Map<string, DatasetHandle>;
  /** Outputs still to come from a write step. */
  readonly waiting: Set<string>;
  /** Its own part is done: every other output stored, and (for a write step) its file hashed. */
  ownDone: boolean;
  written: WrittenFile | undefined;
  finished: boolean;
  readonly columnLineage: StepColumnLineage | undefined;
  readonly durationMs: number;
}

/**
 * Keeps the results of a run's nodes: registers reused outputs as handles of their stored data (loaded only
 * when something asks), and stores each new result in the background (its outputs' objects first, then its
 * cache entry), telling its listeners (the checkpoint writer) once a result is kept. Best-effort: a failure
 * is a warning; the run's data is in memory either way.
 *
 * A dataset that a plain Parquet write step writes (see {@link ReusePlan.writtenBy}) is stored as that very
 * file: its producer's result is completed when the writer succeeds, or, when the writer ends without
 * writing, by storing the dataset itself. Both are reactions to the nodes' outcomes ({@link nodeEnded}).
 */
export class ResultKeeper {
  private readonly listeners: Array<(result: StoredResult) => void> = [];
  private readonly pending = new PendingWork();
  /** Producers' results waiting for a write step, by the dataset they wait for. */
  private readonly unfinished = new Map<string, Unfinished>();
  private readonly now: () => string;
  private readonly persist: PersistSettings;
  /** Datasets some step reads. */
  private readonly consumed: ReadonlySet<string>;
  /** How each new output was kept, or why not, in the order decided. */
  readonly persisted: PersistedOutput[] = [];

  constructor(private readonly options: ResultKeeperOptions) {
    this.now = options.now ?? nowIso;
    this.persist = options.persist ?? { mode: "auto", smallCells: DEFAULT_PERSIST_SMALL_CELLS };
    this.consumed = new Set(options.specs.flatMap((spec) => spec.inputs.map((input) => input.dataset)));
  }

  /** Calls `listener` with every result kept or reused from now on. */
  onKept(listener: (result: StoredResult) => void): void {
    this.listeners.push(listener);
  }

  /** A node's decision, as planned. */
  decision(index: number): NodeDecision | undefined {
    return this.options.plan.decisions[index];
  }

  /** Registers a reused node's outputs as handles of its stored data (loaded only when something asks). */
  reuse(spec: StepSpec, decision: NodeDecision, dataMap: DataMap, runtime: DataRuntime): Record<string, number> {
    const result = (decision.reuse as NonNullable<NodeDecision["reuse"]>).result;
    const rowCounts = keyedRecord<number>();
    const { objects, fileVersions } = this.options;
    for (const name of spec.outputs) {
      const stored = result.outputs[name] as StoredOutput;
      const form = storedForm(stored);
      const load = async (): Promise<unknown> => (await loadStoredData(stored, spec.body, { store: objects, fileVersions, runtime })).value;
      dataMap.set(DatasetHandle.stored(name, form, load, stored, runtime, stored.dataVersion));
      rowCounts[name] = stored.rowCount;
    }
    if (decision.reuse?.from === "cache") this.track(this.options.index.touch(result as KeyEntry, this.now()), () => `record a hit of step ${q(spec.name)}`);
    this.tell(result);
    return rowCounts;
  }

  /**
   * Keeps a node's new result in the background: its outputs' data, then its cache entry, then tells the
   * listeners. A write step's own outputs (none) are kept with the file it wrote.
   */
  keep(spec: StepSpec, dataMap: DataMap, columnLineage?: StepColumnLineage, durationMs = 0): void {
    const decision = this.decision(spec.index);
    if (decision?.key === undefined) return;
    const keyed = decision as NodeDecision & { key: string };
    const handles = new Map<string, DatasetHandle>();
    for (const name of spec.outputs) {
      const handle = dataMap.handle(name);
      if (handle === undefined) continue;
      handle.version = decision.dataVersions[name];
      handles.set(name, handle);
    }
    // Registered at once, before anything is awaited: the write step starts only after this node ended.
    const writtenBy = this.options.plan.writtenBy;
    let waiting = NONE_WAITING;
    if (!decision.file && writtenBy.size > 0) {
      for (const name of handles.keys()) if (writtenBy.has(name)) (waiting === NONE_WAITING ? (waiting = new Set()) : waiting).add(name);
    }
    const result: Unfinished = { spec, decision: keyed, stored: keyedRecord<StoredOutput>(), handles, waiting, ownDone: false, written: undefined, finished: false, columnLineage, durationMs };
    for (const name of waiting) this.unfinished.set(name, result);
    if (this.keptNow(result)) return;
    this.track((async () => {
      result.written = spec.body.kind === "write" ? await this.written(spec) : undefined;
      for (const [name, handle] of handles) {
        const version = decision.dataVersions[name] as string;
        if (decision.file) {
          result.stored[name] = await sourceFileOutput(handle, version, decision.file);
          this.log(name, spec, "source-file", "a read step's source file, by content hash");
        } else if (!waiting.has(name)) result.stored[name] = await this.storeNew(spec, name, handle, version, durationMs);
      }
      if (result.written !== undefined) this.fromWriter(spec, result.written);
      result.ownDone = true;
      await this.finishIfWhole(result);
    })(), () => `keep the result of step ${q(spec.name)}`);
  }

  /**
   * Keeps a result at once when each of its outputs is kept inline and can be made without a promise (small
   * rows in memory, a value: most results of a run of many small steps); false when it cannot be.
   */
  private keptNow(result: Unfinished): boolean {
    const { spec, decision, handles } = result;
    if (spec.body.kind === "write" || decision.file !== undefined || result.waiting.size > 0) return false;
    const names = spec.outputs;
    const made = new Array<StoredOutput>(names.length);
    try {
      for (let i = 0; i < names.length; i++) {
        const handle = handles.get(names[i] as string);
        if (handle === undefined) continue;
        const inline = inlineOutputNow(handle, decision.dataVersions[names[i] as string] as string);
        if (inline === undefined || inline === NOT_INLINE) return false;
        made[i] = inline;
      }
    } catch {
      return false; // the way with promises meets the same problem, and warns
    }
    for (let i = 0; i < names.length; i++) {
      const stored = made[i];
      if (stored === undefined) continue;
      result.stored[names[i] as string] = stored;
      this.log(names[i] as string, spec, "inline", INLINE_REASON);
    }
    result.ownDone = true;
    let kept: Promise<void> | undefined;
    try {
      kept = this.finishIfWhole(result);
    } catch (error) {
      kept = Promise.reject(error);
    }
    if (kept !== undefined) this.track(kept, () => `keep the result of step ${q(spec.name)}`);
    return true;
  }

  /** Stores a new output as the policy says: inline when small rows or a value, else kept whole or left to recompute. */
  private async storeNew(spec: StepSpec, name: string, handle: DatasetHandle, version: string, durationMs: number): Promise<StoredOutput> {
    const already = await this.alreadyStored(handle, version);
    if (already !== undefined) {
      this.log(name, spec, "object", "already an object of the store (stored by the worker that ran the step, or read from the store)");
      return already;
    }
    const inline = await inlineOutput(handle, version);
    if (inline !== undefined) {
      this.log(name, spec, "inline", INLINE_REASON);
      return inline;
    }
    const [rowCount, schema] = await Promise.all([handle.rowCount(), handle.schema()]);
    const candidate = {
      rowCount, columnCount: schema.length, durationMs, consumed: this.consumed.has(name), slowdown: this.persist.slowdown?.() ?? machineSlowdown(),
      rebuilt: this.decision(spec.index)?.rebuilt?.has(name) === true,
    };
    const verdict = decidePersist(candidate, this.persist);
    this.log(name, spec, verdict.keep ? "object" : "recompute", verdict.reason);
    return verdict.keep ? storeOutput(handle, version, this.options.objects) : notKeptOutput(handle, version, verdict.reason);
  }

  /**
   * The stored output of data that is an object of this very store already (a remote step's output, which
   * its worker stored in the shared store that holds the cache), instead of reading it back to store it again.
   */
  private async alreadyStored(handle: DatasetHandle, version: string): Promise<StoredOutput | undefined> {
    const known = handle.storedWith as Partial<StoredOutput> | undefined;
    if (known?.data?.kind !== "object") return undefined;
    if (!(await this.options.objects.has(known.data.object).catch(() => false))) return undefined;
    return { ...(known as StoredOutput), dataVersion: version };
  }

  private log(dataset: string, spec: StepSpec, kept: PersistedOutput["kept"], reason: string): void {
    this.persisted.push({ dataset, step: spec.name, kept, reason });
  }

  /**
   * A node ended without writing what the plan expected (failed, skipped, or interrupted): a dataset it was
   * to write is stored by itself instead.
   */
  nodeEnded(spec: StepSpec): void {
    for (const [dataset, writer] of this.options.plan.writtenBy) {
      if (writer === spec.index) this.storeItself(dataset);
    }
  }

  /** Resolves once everything being kept is kept (or has failed with a warning). The run is over: nothing waits for a writer now. */
  async settled(): Promise<void> {
    // First what is under way (a write step still hashing its file completes its producer's result), then
    // whatever still waits for a writer is stored by itself.
    await this.pending.settled();
    for (const dataset of [...this.unfinished.keys()]) this.storeItself(dataset);
    await this.pending.settled();
  }

  /** Keeps the cache under its size limit, least recently used entries first. Best-effort. */
  async evict(protectedObjects: ReadonlySet<string>): Promise<void> {
    const { index, objects, maxBytes, warn } = this.options;
    await evictCache({ index, store: objects, maxBytes, protectedObjects }).catch((error: unknown) => warn(`cache eviction failed: ${errorMessage(error)}`));
  }

  /** The write step wrote its input as Parquet: that file becomes the dataset's stored object. */
  private fromWriter(writer: StepSpec, written: WrittenFile): void {
    const dataset = writer.inputs[0]?.dataset;
    const waiting = dataset === undefined ? undefined : this.unfinished.get(dataset);
    if (dataset === undefined || waiting === undefined || this.options.plan.writtenBy.get(dataset) !== writer.index) return;
    this.unfinished.delete(dataset);
    this.log(dataset, waiting.spec, "written-file", `the Parquet file step ${q(writer.name)} wrote`);
    this.track(this.complete(waiting, dataset, (handle, version) => storeWrittenParquet(handle, version, written, this.options.objects)), () => `keep the result of step ${q(waiting.spec.name)}`);
  }

  private storeItself(dataset: string): void {
    const waiting = this.unfinished.get(dataset);
    if (waiting === undefined) return;
    this.unfinished.delete(dataset);
    this.track(this.complete(waiting, dataset, (handle, version) => this.storeNew(waiting.spec, dataset, handle, version, waiting.durationMs)), () => `keep the result of step ${q(waiting.spec.name)}`);
  }

  private async complete(result: Unfinished, dataset: string, store: (handle: DatasetHandle, version: string) => Promise<StoredOutput>): Promise<void> {
    const handle = result.handles.get(dataset) as DatasetHandle;
    result.stored[dataset] = await store(handle, result.decision.dataVersions[dataset] as string);
    result.waiting.delete(dataset);
    await this.finishIfWhole(result);
  }

  /**
   * Once every output is stored: writes the cache entry and tells the listeners (the checkpoint), both at
   * once: each points at data stored already, and neither needs the other (a crash between them leaves a
   * checkpointed step without its cache entry, a miss, or the other way round). A promise while the entry is
   * being written (undefined when there is nothing to wait for).
   */
  private finishIfWhole(unfinished: Unfinished): Promise<void> | undefined {
    if (unfinished.finished || !unfinished.ownDone || unfinished.waiting.size > 0) return undefined;
    unfinished.finished = true;
    const { spec, decision, stored, written, columnLineage } = unfinished;
    const result: StoredResult = written === undefined && columnLineage === undefined
      ? { key: decision.key, step: spec.name, outputs: stored }
      : { key: decision.key, step: spec.name, outputs: stored, ...(written ? { written } : {}), ...(columnLineage ? { columnLineage } : {}) };
    if (!decision.storeInCache) {
      this.tell(result);
      return undefined;
    }
    const now = this.now();
    const put = this.options.index.put(keyEntryOf(result, this.options.pipelineName, now, now, 0));
    this.tell(result);
    return put;
  }

  private tell(result: StoredResult): void {
    for (const listener of this.listeners) listener(result);
  }

  private async written(spec: StepSpec): Promise<WrittenFile> {
    const path = resolve(this.options.baseDir, (spec.body as { path: string }).path);
    const info = await stat(path);
    return { path, size: info.size, mtimeMs: info.mtimeMs, sha256: await hashFile(path) };
  }

  /** Tracks background work; `what` (made only if it fails) names it in the warning. */
  private track(work: Promise<void>, what: () => string): void {
    this.pending.add(work, (error) => this.options.warn(`cache could not ${what()}: ${errorMessage(error)}`));
  }
}
