import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { DataMap } from "../data/data-map.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { LoadedCheckpoint } from "../checkpoint/checkpoint-store.js";
import type { CheckpointStore } from "../checkpoint/checkpoint-store.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import type { EngineVersions } from "./cache-key.js";
import { evictCache } from "./evict-cache.js";
import { FileVersions } from "./file-versions.js";
import { fingerprintDataset, hashFile } from "./fingerprint.js";
import { KeyIndex } from "./key-index.js";
import type { NodeDecision } from "./node-decision.js";
import { ObjectStore } from "./object-store.js";
import { planReuse } from "./plan-reuse.js";
import { loadStoredData, storedForm, sourceFileOutput, storeOutput, storeWrittenParquet } from "./store-output.js";
import type { StoredOutput, StoredResult, WrittenFile } from "./stored-output.js";
import type { StepColumnLineage } from "../lineage/column-lineage.js";

/** How one run uses the cache and its checkpoint. */
export interface RunCacheOptions {
  readonly cacheDir: string;
  /** Look results up and keep new ones (the run's `cache` option). */
  readonly cache: boolean;
  /** Keep a checkpoint of the run, so it can be resumed. */
  readonly checkpoints: CheckpointStore | undefined;
  readonly maxBytes: number;
  readonly baseDir: string;
  readonly versions: EngineVersions;
  readonly pipelineName: string;
  readonly runId: string;
  readonly resume: LoadedCheckpoint | undefined;
  readonly warn: (message: string) => void;
}

/**
 * The cache and checkpoint side of one run: decides up front what is reused, registers reused outputs as
 * handles that load their data only when asked, and keeps each new result (objects first, then the
 * cache entry and the checkpoint record that point at them). Keeping is in the background and
 * best-effort: a failure is a warning; the run's data is in memory either way.
 */
export class RunCache {
  readonly store: ObjectStore;
  readonly index: KeyIndex;
  readonly fileVersions: FileVersions;
  private decisions: NodeDecision[] = [];
  /** Deciding, under way while read steps that need their file hashed already run. */
  private planning: Promise<void> = Promise.resolve();
  /** Read steps started before the plan was done (their source file is new or changed: they run anyway). */
  private readonly early = new Set<number>();
  private readonly pending = new Set<Promise<void>>();
  /**
   * Datasets that a plain Parquet write step writes anyway: the written file becomes their stored object.
   * Each waits for its writer; a writer that does not write (fails, is skipped or reused) leaves it to `COPY`.
   */
  private readonly writtenBy = new Map<string, { writer: string; file: Promise<WrittenFile | undefined>; settle: (file: WrittenFile | undefined) => void; started: boolean }>();

  constructor(private readonly options: RunCacheOptions) {
    this.store = new ObjectStore(resolve(options.cacheDir, "objects"));
    this.index = new KeyIndex(resolve(options.cacheDir, "keys"));
    this.fileVersions = new FileVersions(resolve(options.cacheDir, "files"));
  }

  /**
   * Versions the sources and starts deciding every node's reuse. A read step whose source file has no
   * recorded version (new, or changed since) runs whatever the decision, so it may start at once, while
   * its file is hashed; every other node waits for the whole plan ({@link decisionFor}).
   */
  async plan(planned: PlannedPipeline, dataMap: DataMap): Promise<void> {
    const sourceVersions = new Map<string, string>();
    for (const name of planned.plan.sources) {
      const handle = dataMap.handle(name);
      if (handle === undefined) continue;
      handle.version ??= await fingerprintDataset(handle);
      sourceVersions.set(name, handle.version);
    }
    for (const spec of planned.dag.specs) {
      const input = spec.inputs[0];
      if (spec.body.kind !== "write" || spec.body.format !== "parquet" || Object.keys(spec.body.options).length > 0) continue;
      if (input === undefined || !planned.dag.producerOf.has(input.dataset) || this.writtenBy.has(input.dataset)) continue;
      let settle: (file: WrittenFile | undefined) => void = () => undefined;
      const file = new Promise<WrittenFile | undefined>((resolve) => (settle = resolve));
      this.writtenBy.set(input.dataset, { writer: spec.name, file, settle, started: false });
    }
    for (const spec of planned.dag.specs) {
      if (spec.body.kind !== "read") continue;
      const path = resolve(this.options.baseDir, spec.body.path);
      if ((await this.fileVersions.known(path)) === undefined) this.early.add(spec.index);
    }
    const running = new Set([...this.early].map((i) => planned.dag.specs[i]?.name as string));
    this.planning = planReuse(planned, {
      baseDir: this.options.baseDir, versions: this.options.versions, sourceVersions, index: this.index, store: this.store,
      fileVersions: this.fileVersions, lookup: this.options.cache, storeInCache: this.options.cache, resume: this.options.resume,
      warn: this.options.warn, running,
    }).then(
      (decisions) => void (this.decisions = decisions),
      (error: unknown) => this.options.warn(`the cache could not plan this run, so every step runs: ${errorMessage(error)}`),
    );
    if (this.early.size === 0) await this.planning;
  }

  /** A node's decision, once it is made: at once for a read step started early (it runs; its key comes later). */
  async decisionFor(index: number): Promise<NodeDecision | undefined> {
    if (this.early.has(index)) return undefined;
    await this.planning;
    return this.decisions[index];
  }

  /** A node's decision as far as it is made now (a read step started early has none until the plan is done). */
  decision(index: number): NodeDecision | undefined {
    return this.decisions[index];
  }

  /** Registers a reused node's outputs as handles of its stored data (loaded only when something asks). */
  reuse(spec: StepSpec, decision: NodeDecision, dataMap: DataMap, runtime: DataRuntime): Record<string, number> {
    const result = (decision.reuse as NonNullable<NodeDecision["reuse"]>).result;
    const rowCounts: Record<string, number> = {};
    for (const name of spec.outputs) {
      const stored = result.outputs[name] as StoredOutput;
      const form = storedForm(stored);
      const load = async (): Promise<unknown> => (await loadStoredData(stored, spec.body, { store: this.store, fileVersions: this.fileVersions, runtime })).value;
      dataMap.set(DatasetHandle.stored(name, form, load, stored, runtime, stored.dataVersion));
      rowCounts[name] = stored.rowCount;
    }
    if (decision.reuse?.from === "cache") this.track(this.index.touch(result as never), `record a hit of step ${q(spec.name)}`);
    if (this.options.checkpoints) this.track(this.options.checkpoints.recordNode(this.options.runId, result), `checkpoint step ${q(spec.name)}`);
    return rowCounts;
  }

  /**
   * Keeps a node's new result in the background: its outputs' data, then its cache entry and checkpoint
   * record (which point at the data, so they are written last). Waits for the plan: a read step started
   * early learns its key only then.
   */
  persist(spec: StepSpec, dataMap: DataMap, columnLineage?: StepColumnLineage): void {
    const feeds = spec.body.kind === "write" ? [...this.writtenBy.values()].find((w) => w.writer === spec.name) : undefined;
    if (feeds) feeds.started = true;
    const outputs = spec.outputs.map((name) => dataMap.handle(name)).filter((h): h is DatasetHandle => h !== undefined);
    this.track((async () => {
      await this.planning;
      const decision = this.decisions[spec.index];
      if (decision?.key === undefined) return feeds?.settle(undefined);
      for (const handle of outputs) handle.version = decision.dataVersions[handle.name];
      const written = spec.body.kind === "write"
        ? await this.written(spec).catch((error: unknown) => {
            feeds?.settle(undefined);
            throw error;
          })
        : undefined;
      feeds?.settle(written);
      const stored: Record<string, StoredOutput> = {};
      for (const handle of outputs) {
        const version = decision.dataVersions[handle.name] as string;
        const writtenFile = await this.writtenBy.get(handle.name)?.file;
        stored[handle.name] = decision.file
          ? await sourceFileOutput(handle, version, decision.file)
          : writtenFile !== undefined
            ? await storeWrittenParquet(handle, version, writtenFile, this.store)
            : await storeOutput(handle, version, this.store);
      }
      const result: StoredResult = {
        key: decision.key, step: spec.name, outputs: stored, ...(written ? { written } : {}), ...(columnLineage ? { columnLineage } : {}),
      };
      if (decision.storeInCache) {
        const now = new Date().toISOString();
        await this.index.put({ format: 1, ...result, pipeline: this.options.pipelineName, created: now, lastUsed: now, hits: 0 });
      }
      await this.options.checkpoints?.recordNode(this.options.runId, result);
    })(), `keep the result of step ${q(spec.name)}`);
  }


  /** Resolves once everything being kept is kept (or has failed with a warning). */
  async settled(): Promise<void> {
    await this.planning;
    // The run is over: a writer that never started keeping its result will not write.
    for (const w of this.writtenBy.values()) if (!w.started) w.settle(undefined);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Keeps the cache under its size limit, least recently used entries first. Best-effort. */
  async evict(protectedObjects: ReadonlySet<string>): Promise<void> {
    await evictCache({ index: this.index, store: this.store, maxBytes: this.options.maxBytes, protectedObjects }).catch((error: unknown) =>
      this.options.warn(`cache eviction failed: ${errorMessage(error)}`),
    );
  }

  private async written(spec: StepSpec): Promise<StoredResult["written"]> {
    const path = resolve(this.options.baseDir, (spec.body as { path: string }).path);
    const info = await stat(path);
    return { path, size: info.size, mtimeMs: info.mtimeMs, sha256: await hashFile(path) };
  }

  private track(work: Promise<void>, what: string): void {
    const settled = work.catch((error: unknown) => this.options.warn(`cache could not ${what}: ${errorMessage(error)}`));
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }
}
