import { closestNames } from "../util/closest-names.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { sortSmall } from "../util/sort-small.js";
import type { StepSpec } from "../step/step-spec.js";
import {
  DuplicateOutputError,
  DuplicateStepError,
  MissingInputError,
  type DuplicateOutput,
  type MissingInput,
} from "./plan-errors.js";

/** The steps and the edges their datasets make, by declaration index. */
export interface Dag {
  readonly specs: readonly StepSpec[];
  /** Dataset name to the index of the step that outputs it. */
  readonly producerOf: ReadonlyMap<string, number>;
  /** Datasets read by some step and produced by none: they must be given as sources. */
  readonly sources: readonly string[];
  /** Step index to the indices of the steps it reads from (ascending, unique). */
  readonly upstream: readonly (readonly number[])[];
  /** Step index to the indices of the steps that read from it (ascending, unique). */
  readonly downstream: readonly (readonly number[])[];
}

/** Groups indices by key, keeping only keys seen more than once (most pipelines have none). */
function repeated(entries: Iterable<readonly [string, number]>): Map<string, number[]> {
  const first = new Map<string, number>();
  const repeats = new Map<string, number[]>();
  for (const [key, index] of entries) {
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else {
      const indices = repeats.get(key);
      if (indices === undefined) repeats.set(key, [seen, index]);
      else indices.push(index);
    }
  }
  return repeats;
}

function validateUniqueNames(specs: readonly StepSpec[]): void {
  // The usual case, all names distinct, in one pass that builds nothing per step.
  const names = new Set<string>();
  for (const spec of specs) names.add(spec.name);
  if (names.size === specs.length) return;
  const duplicate = [...repeated(specs.map((s) => [s.name, s.index] as const))].sort(([a], [b]) => a.localeCompare(b))[0];
  if (duplicate) throw new DuplicateStepError(duplicate[0], duplicate[1]);
}

function producersByDataset(specs: readonly StepSpec[], sourceNames: ReadonlySet<string>): Map<string, number> {
  // One pass: the first producer of each dataset, and the datasets produced more than once.
  const producerOf = new Map<string, number>();
  const repeats = new Map<string, number[]>();
  for (const spec of specs) {
    for (const dataset of spec.outputs) {
      const seen = producerOf.get(dataset);
      if (seen === undefined) producerOf.set(dataset, spec.index);
      else {
        const indices = repeats.get(dataset);
        if (indices === undefined) repeats.set(dataset, [seen, spec.index]);
        else indices.push(spec.index);
      }
    }
  }
  if (repeats.size === 0 && sourceNames.size === 0) return producerOf;
  const duplicates: DuplicateOutput[] = [];
  for (const [dataset, index] of producerOf) {
    const source = sourceNames.has(dataset);
    const indices = repeats.get(dataset) ?? [index];
    if (indices.length > 1 || source) duplicates.push({ dataset, steps: indices.map((i) => specs[i]?.name ?? "?"), source });
  }
  if (duplicates.length > 0) {
    duplicates.sort((a, b) => a.dataset.localeCompare(b.dataset));
    throw new DuplicateOutputError(duplicates);
  }
  return producerOf;
}

function validateInputsExist(
  specs: readonly StepSpec[],
  producerOf: ReadonlyMap<string, number>,
  sourceNames: ReadonlySet<string>,
): void {
  const missing: MissingInput[] = [];
  for (const spec of specs) {
    for (const input of spec.inputs) {
      if (producerOf.has(input.dataset) || sourceNames.has(input.dataset)) continue;
      const known = [...producerOf.keys(), ...sourceNames];
      missing.push({ stepName: spec.name, dataset: input.dataset, suggestions: closestNames(input.dataset, known) });
    }
  }
  if (missing.length === 0) return;
  missing.sort((a, b) => a.stepName.localeCompare(b.stepName) || a.dataset.localeCompare(b.dataset));
  throw new MissingInputError(missing);
}

/**
 * Builds the DAG: each input is matched to the step that outputs that dataset. Throws a `PlanError` on
 * duplicate step names, duplicate outputs, and inputs that are neither produced nor in `sourceNames`.
 * Cycles are found by {@link buildPlan}, which orders the steps.
 */
export function buildDag(specs: readonly StepSpec[], sourceNames: Iterable<string> = []): Dag {
  const sources = new Set(sourceNames);
  validateUniqueNames(specs);
  const producerOf = producersByDataset(specs, sources);
  validateInputsExist(specs, producerOf, sources);

  // A step with no neighbour on a side shares the frozen empty list; lists are made only where there are edges.
  const upstream: (readonly number[])[] = new Array<readonly number[]>(specs.length).fill(EMPTY_ARRAY);
  const downstream: (readonly number[])[] = new Array<readonly number[]>(specs.length).fill(EMPTY_ARRAY);
  const read = new Set<string>();
  for (const spec of specs) {
    let from: number[] | undefined;
    for (const input of spec.inputs) {
      const producer = producerOf.get(input.dataset);
      if (producer === undefined) read.add(input.dataset);
      else if (from === undefined) from = [producer];
      else if (!from.includes(producer)) from.push(producer);
    }
    if (from === undefined) continue;
    // Sorted, and copied to its length when pushed to: a pushed array keeps room for 17, and these are kept as long as the plan.
    upstream[spec.index] = from.length === 1 ? from : sortSmall(from, (a, b) => a - b).slice();
    for (const producer of from) {
      const down = downstream[producer] as readonly number[];
      if (down.length === 0) downstream[producer] = [spec.index];
      else (down as number[]).push(spec.index);
    }
  }
  for (let i = 0; i < downstream.length; i++) {
    const down = downstream[i] as readonly number[];
    if (down.length > 1) downstream[i] = down.slice();
  }
  return { specs, producerOf, sources: [...read].sort(), upstream, downstream };
}
