import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import { keyedRecord } from "../util/keyed-record.js";
import type { LoadedCheckpoint } from "../checkpoint/run-checkpoint.js";
import { cacheKeyAndParts, outputDataVersion, type CacheKeyParts, type EngineVersions, type KeyInput } from "./cache-key.js";
import type { FileVersions } from "./file-versions.js";
import { getInBatches, type CacheIndex, type KeyEntry } from "./cache-index.js";
import type { NodeDecision } from "./node-decision.js";
import type { ObjectStore } from "./object-store.js";
import { inlineIntact } from "./store-output.js";
import type { StoredOutput, StoredResult } from "./stored-output.js";

/** What planning the reuse of a run needs. */
export interface ReusePlanContext {
  readonly baseDir: string;
  readonly versions: EngineVersions;
  /** Data versions of the datasets given as sources. */
  readonly sourceVersions: ReadonlyMap<string, string>;
  readonly index: CacheIndex;
  readonly store: ObjectStore;
  readonly fileVersions: FileVersions;
  /** Look results up in the cache (the run's `cache` option). */
  readonly lookup: boolean;
  /** Keep results in the cache after running. */
  readonly storeInCache: boolean;
  /** The checkpoint of the run being resumed, if any. */
  readonly resume: LoadedCheckpoint | undefined;
  readonly warn: (message: string) => void;
}

/**
 * True when a write step's target is still the file it wrote (same size and mtime) at the same place: a
 * result kept by a run in another base folder (a shared cache) wrote another file.
 */
async function targetUnchanged(result: StoredResult, target: string): Promise<boolean> {
  if (result.written === undefined || result.written.path !== target) return false;
  const info = await stat(result.written.path).catch(() => undefined);
  return info !== undefined && info.size === result.written.size && info.mtimeMs === result.written.mtimeMs;
}

/** The decision of a node without a key. */
function none(uncacheable: string): NodeDecision {
  return { key: undefined, uncacheable, dataVersions: {}, file: undefined, reuse: undefined, storeInCache: false, missReason: undefined };
}

/**
 * A node's decision before the lookup: its key (or why it has none) and, with a key, where to look. A
 * promise only for a read step (it hashes its source file): the others are decided at once.
 */
function keyed(spec: StepSpec, inputs: KeyInput[] | string, ctx: ReusePlanContext): NodeDecision | Promise<NodeDecision> {
  if (typeof inputs === "string") return none(inputs);
  if (spec.body.kind !== "read") return keyedWith(spec, inputs, undefined, ctx);
  const path = spec.body.path;
  return ctx.fileVersions.of(resolve(ctx.baseDir, path)).then((file) => file === undefined
    ? none(`source file ${path} not found (or not a single file)`)
    : keyedWith(spec, [...inputs, { local: "$file", dataVersion: file.sha256 }], file, ctx));
}

function keyedWith(spec: StepSpec, inputs: KeyInput[], file: NodeDecision["file"], ctx: ReusePlanContext): NodeDecision {
  let key: string;
  let keyParts: CacheKeyParts;
  try {
    ({ key, parts: keyParts } = cacheKeyAndParts(spec, inputs, ctx.versions));
  } catch (error) {
    return none(`its params cannot be hashed: ${errorMessage(error)}`);
  }
  // Keyed by dataset names: a dictionary-mode record (a {} per name would make a hidden class per name).
  const dataVersions = keyedRecord<string>();
  const outputs = spec.outputs;
  for (let i = 0; i < outputs.length; i++) dataVersions[outputs[i] as string] = outputDataVersion(key, outputs[i] as string);
  return {
    key, keyParts, uncacheable: undefined, file, reuse: undefined, missReason: undefined,
    dataVersions,
    storeInCache: ctx.storeInCache && spec.cache !== "disable",
  };
}

/**
 * A node's key inputs: each input's local name and data version (its producer's, decided before it: the order
 * is topological; or the given source's), or why it has none.
 */
function keyInputs(spec: StepSpec, producerOf: ReadonlyMap<string, number>, decisions: readonly NodeDecision[], ctx: ReusePlanContext): KeyInput[] | string {
  const inputs = spec.inputs;
  const made = new Array<KeyInput>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const { local, dataset } = inputs[i] as StepSpec["inputs"][number];
    const producer = producerOf.get(dataset);
    const dataVersion = producer === undefined ? ctx.sourceVersions.get(dataset) : decisions[producer]?.dataVersions[dataset];
    if (dataVersion === undefined) return `its input ${JSON.stringify(dataset)} has no data version`;
    made[i] = { local, dataVersion };
  }
  return made;
}

/** True when the node looks its key up in the cache (it has a key, no checkpointed result, and the cache is on for it). */
function looksUp(spec: StepSpec, decision: NodeDecision, ctx: ReusePlanContext): boolean {
  return decision.key !== undefined && ctx.resume?.nodes.get(spec.name)?.key !== decision.key && ctx.lookup && spec.cache === "default";
}

/**
 * The node's reuse: its checkpointed result, else its cache entry (`entry`), each still usable as it is. A
 * promise only for a write step reusing a result (its target file is looked at).
 */
function decide(spec: StepSpec, decision: NodeDecision, entry: KeyEntry | undefined, ctx: ReusePlanContext): Promise<void> | undefined {
  const key = decision.key;
  if (key === undefined) return;
  const checkpointed = ctx.resume?.nodes.get(spec.name);
  if (checkpointed?.key === key) decision.reuse = { result: checkpointed, from: "checkpoint" };
  else if (!ctx.lookup) decision.missReason = "the cache is off for this run";
  else if (spec.cache !== "default") decision.missReason = `cache: "${spec.cache}"`;
  else if (entry !== undefined) decision.reuse = { result: entry, from: "cache" };
  else decision.missReason = "no cache entry for its key";
  const reuse = decision.reuse;
  if (reuse === undefined || spec.body.kind !== "write") return void lacksOutput(spec, decision);
  return targetUnchanged(reuse.result, resolve(ctx.baseDir, spec.body.path)).then((unchanged) => {
    if (!unchanged) {
      decision.reuse = undefined;
      decision.missReason = "its target file changed or is gone since it was written";
    }
    lacksOutput(spec, decision);
  });
}

/** A reused result that lacks one of the step's outputs is not reused. */
function lacksOutput(spec: StepSpec, decision: NodeDecision): void {
  if (decision.reuse !== undefined && spec.outputs.some((o) => decision.reuse?.result.outputs[o] === undefined)) {
    decision.reuse = undefined;
    decision.missReason = "its stored result lacks an output";
  }
}

/** The cache entries of `keys`: all at once where the index can ({@link CacheIndex.getMany}), else a few at a time. */
async function lookUp(index: CacheIndex, keys: readonly string[]): Promise<ReadonlyMap<string, KeyEntry>> {
  if (keys.length === 0) return new Map();
  if (index.getMany !== undefined) return index.getMany(keys);
  return getInBatches(keys, (key) => index.get(key));
}

async function usable(output: StoredOutput, ctx: ReusePlanContext): Promise<boolean> {
  if (output.data.kind === "object") return ctx.store.verify(output.data.object);
  if (output.data.kind === "inline") return inlineIntact(output.data);
  if (output.data.kind === "recompute") return false;
  return (await ctx.fileVersions.of(output.data.path))?.sha256 === output.data.sha256;
}

/**
 * Decides, before anything runs, which nodes reuse a stored result. Keys need only data versions, never
 * data, so every key of the DAG is known up front. Then the stored outputs that a node which will run
 * reads are checked (checksum, or the source file's content hash); a corrupted one turns its producer
 * into a node that runs, which may in turn need its own inputs, until nothing changes.
 */
export async function planReuse(planned: PlannedPipeline, ctx: ReusePlanContext): Promise<NodeDecision[]> {
  const { specs, producerOf } = planned.dag;
  const decisions: NodeDecision[] = new Array<NodeDecision>(specs.length);
  // Keys first (they need data versions only), then every lookup at once, then each node's reuse.
  const order = planned.order;
  for (let o = 0; o < order.length; o++) {
    const index = order[o] as number;
    const spec = specs[index] as StepSpec;
    const decision = keyed(spec, keyInputs(spec, producerOf, decisions, ctx), ctx);
    decisions[index] = decision instanceof Promise ? await decision : decision;
  }
  const wanted: string[] = [];
  for (let o = 0; o < order.length; o++) {
    const index = order[o] as number;
    if (looksUp(specs[index] as StepSpec, decisions[index] as NodeDecision, ctx)) wanted.push(decisions[index]?.key as string);
  }
  const entries = await lookUp(ctx.index, wanted);
  for (let o = 0; o < order.length; o++) {
    const index = order[o] as number;
    const decision = decisions[index] as NodeDecision;
    const decided = decide(specs[index] as StepSpec, decision, decision.key === undefined ? undefined : entries.get(decision.key), ctx);
    if (decided !== undefined) await decided;
  }
  const checked = new Set<StoredOutput>();
  for (let changed = true; changed; ) {
    changed = false;
    for (let o = 0; o < order.length; o++) {
      const index = order[o] as number;
      if (decisions[index]?.reuse !== undefined) continue;
      const inputs = (specs[index] as StepSpec).inputs;
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i] as StepSpec["inputs"][number];
        const producer = producerOf.get(input.dataset);
        const reuse = producer === undefined ? undefined : decisions[producer]?.reuse;
        const output = reuse?.result.outputs[input.dataset];
        if (output === undefined || checked.has(output)) continue;
        checked.add(output);
        if (await usable(output, ctx)) continue;
        const decision = decisions[producer as number] as NodeDecision;
        decision.reuse = undefined;
        changed = true;
        if (output.data.kind === "recompute") {
          // Not kept by the persistence policy: expected, not a problem. Needed again, it is kept this time.
          decision.missReason = `its output ${JSON.stringify(input.dataset)} was not kept (${output.data.reason}), and a step that runs reads it`;
          (decision.rebuilt ??= new Set()).add(input.dataset);
          continue;
        }
        ctx.warn(`stored data of ${JSON.stringify(input.dataset)} (step ${JSON.stringify(specs[producer as number]?.name)}) is missing or corrupted; recomputing it`);
        decision.missReason = "its stored data is missing or corrupted";
      }
    }
  }
  return decisions;
}
