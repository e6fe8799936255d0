import type { CheckpointStore } from "../checkpoint/checkpoint-store.js";
import { CHECKPOINTS_KEPT } from "../checkpoint/prune-checkpoints.js";
import type { DataMap } from "../data/data-map.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { ExternalInput } from "../plan/restrict-plan.js";
import type { StepSpec } from "../step/step-spec.js";
import type { ReuseSource } from "./node-decision.js";
import type { ReusePreview } from "./preview-reuse.js";
import { inlineIntact, loadStoredData, storedForm } from "./store-output.js";
import type { StoredOutput, StoredResult } from "./stored-output.js";

/** An unselected step's output that a selection reads, found stored. */
export interface FoundInput {
  readonly input: ExternalInput;
  readonly spec: StepSpec;
  readonly output: StoredOutput;
  readonly from: ReuseSource;
}

/** An unselected step's output that a selection reads and that is not stored (or not usable). */
export interface MissingStoredInput {
  readonly input: ExternalInput;
  readonly producer: string;
  readonly reason: string;
}

/** How many recent checkpoints of the pipeline are searched for an output the cache lacks: those every run keeps. */
const CHECKPOINTS_SEARCHED = CHECKPOINTS_KEPT;

async function usable(output: StoredOutput, preview: ReusePreview): Promise<boolean> {
  if (output.data.kind === "object") return preview.store.verify(output.data.object);
  if (output.data.kind === "inline") return inlineIntact(output.data);
  if (output.data.kind === "recompute") return false;
  return (await preview.fileVersions.of(output.data.path))?.sha256 === output.data.sha256;
}

/** The newest checkpointed result of `step` under `key`, in the pipeline's recent checkpoints. */
async function fromCheckpoints(checkpoints: CheckpointStore | undefined, pipelineName: string, step: string, key: string): Promise<StoredResult | undefined> {
  if (checkpoints === undefined) return undefined;
  const runs = (await checkpoints.list()).filter((r) => r.pipelineName === pipelineName).slice(0, CHECKPOINTS_SEARCHED);
  for (const run of runs) {
    const result = (await checkpoints.load(run.runId).catch(() => undefined))?.nodes.get(step);
    if (result?.key === key) return result;
  }
  return undefined;
}

/**
 * Finds the stored data of every dataset a selection reads from unselected steps: in the cache (the
 * preview's decision) or, failing that, in a recent checkpoint of the pipeline with the same key; each
 * checked before it is used.
 */
export async function findStoredInputs(
  full: PlannedPipeline,
  external: readonly ExternalInput[],
  preview: ReusePreview,
  options: { checkpoints: CheckpointStore | undefined; pipelineName: string },
): Promise<{ found: FoundInput[]; missing: MissingStoredInput[] }> {
  const found: FoundInput[] = [];
  const missing: MissingStoredInput[] = [];
  for (const input of external) {
    const spec = full.dag.specs[input.producer] as StepSpec;
    const decision = preview.decisions[input.producer];
    if (decision?.key === undefined) {
      missing.push({ input, producer: spec.name, reason: decision?.uncacheable ?? "it has no cache key" });
      continue;
    }
    const candidates: Array<{ result: StoredResult; from: ReuseSource }> = [];
    if (decision.reuse !== undefined) candidates.push(decision.reuse);
    const checkpointed = await fromCheckpoints(options.checkpoints, options.pipelineName, spec.name, decision.key);
    if (checkpointed !== undefined) candidates.push({ result: checkpointed, from: "checkpoint" });
    let hit: FoundInput | undefined;
    for (const candidate of candidates) {
      const output = candidate.result.outputs[input.dataset];
      if (output !== undefined && (await usable(output, preview))) {
        hit = { input, spec, output, from: candidate.from };
        break;
      }
    }
    if (hit !== undefined) found.push(hit);
    else {
      const notKept = candidates.map((c) => c.result.outputs[input.dataset]?.data).find((d) => d?.kind === "recompute");
      const reason = notKept?.kind === "recompute"
        ? `its output was not kept (${notKept.reason}; persist: "all" keeps every output)`
        : candidates.length > 0 ? "its stored data is missing or corrupted" : decision.missReason ?? "no cache entry for its key";
      missing.push({ input, producer: spec.name, reason });
    }
  }
  return { found, missing };
}

/** Registers found inputs in a run's data map as handles of their stored data (loaded when a step asks). */
export function registerStoredInputs(found: readonly FoundInput[], preview: ReusePreview, dataMap: DataMap, runtime: DataRuntime): void {
  for (const { input, spec, output } of found) {
    const form = storedForm(output);
    const load = async (): Promise<unknown> => (await loadStoredData(output, spec.body, { store: preview.store, fileVersions: preview.fileVersions, runtime })).value;
    dataMap.set(DatasetHandle.stored(input.dataset, form, load, output, runtime, output.dataVersion));
  }
}
