import { closestNames } from "../util/closest-names.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { sortSmall } from "../util/sort-small.js";
import type { StepInput, StepSpec } from "../step/step-spec.js";
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
  /**
   * True when every step reads only steps declared before it (as most pipelines are written): the
   * declaration order is then the plan's order.
   */
  readonly declaredInOrder: boolean;
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

// Indexed loops throughout: planning runs once per process, mostly before V8 optimises it, and an unoptimised
// `for…of` over an array allocates an iterator result per item (10,000 steps made megabytes of them).

function validateUniqueNames(specs: readonly StepSpec[]): void {
  // The usual case, all names distinct, in one pass that builds nothing per step.
  const names = new Set<string>();
  for (let i = 0; i < specs.length; i++) names.add((specs[i] as StepSpec).name);
  if (names.size === specs.length) return;
  const duplicate = [...repeated(specs.map((s) => [s.name, s.index] as const))].sort(([a], [b]) => a.localeCompare(b))[0];
  if (duplicate) throw new DuplicateStepError(duplicate[0], duplicate[1]);
}

function producersByDataset(specs: readonly StepSpec[], sourceNames: ReadonlySet<string>): Map<string, number> {
  // One pass: the first producer of each dataset, and the datasets produced more than once.
  const producerOf = new Map<string, number>();
  let repeats: Map<string, number[]> | undefined;
  for (let s = 0; s < specs.length; s++) {
    const spec = specs[s] as StepSpec;
    const outputs = spec.outputs;
    for (let o = 0; o < outputs.length; o++) {
      const dataset = outputs[o] as string;
      const seen = producerOf.get(dataset);
      if (seen === undefined) producerOf.set(dataset, spec.index);
      else {
        repeats ??= new Map<string, number[]>();
        const indices = repeats.get(dataset);
        if (indices === undefined) repeats.set(dataset, [seen, spec.index]);
        else indices.push(spec.index);
      }
    }
  }
  if (repeats === undefined && sourceNames.size === 0) return producerOf;
  const duplicates: DuplicateOutput[] = [];
  for (const [dataset, index] of producerOf) {
    const source = sourceNames.has(dataset);
    const indices = repeats?.get(dataset) ?? [index];
    if (indices.length > 1 || source) duplicates.push({ dataset, steps: indices.map((i) => specs[i]?.name ?? "?"), source });
  }
  if (duplicates.length > 0) {
    duplicates.sort((a, b) => a.dataset.localeCompare(b.dataset));
    throw new DuplicateOutputError(duplicates);
  }
  return producerOf;
}

/** The error for inputs that are neither produced nor given as sources, with "did you mean" suggestions. */
function missingInputError(missing: readonly { readonly stepName: string; readonly dataset: string }[], producerOf: ReadonlyMap<string, number>, sourceNames: ReadonlySet<string>): MissingInputError {
  const known = [...producerOf.keys(), ...sourceNames];
  const found: MissingInput[] = missing.map((m) => ({ ...m, suggestions: closestNames(m.dataset, known) }));
  found.sort((a, b) => a.stepName.localeCompare(b.stepName) || a.dataset.localeCompare(b.dataset));
  return new MissingInputError(found);
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

  // A step with no neighbour on a side shares the frozen empty list; lists are made only where there are edges.
  const upstream: (readonly number[])[] = new Array<readonly number[]>(specs.length).fill(EMPTY_ARRAY);
  const downstream: (readonly number[])[] = new Array<readonly number[]>(specs.length).fill(EMPTY_ARRAY);
  const read = new Set<string>();
  let missing: { stepName: string; dataset: string }[] | undefined;
  let declaredInOrder = true;
  for (let s = 0; s < specs.length; s++) {
    const spec = specs[s] as StepSpec;
    const inputs = spec.inputs;
    let from: number[] | undefined;
    for (let k = 0; k < inputs.length; k++) {
      const dataset = (inputs[k] as StepInput).dataset;
      const producer = producerOf.get(dataset);
      if (producer === undefined) {
        if (sources.has(dataset)) read.add(dataset);
        else (missing ??= []).push({ stepName: spec.name, dataset });
      } else if (from === undefined) from = [producer];
      else if (!from.includes(producer)) from.push(producer);
    }
    if (from === undefined) continue;
    // Sorted, and copied to its length when pushed to: a pushed array keeps room for 17, and these are kept as long as the plan.
    const ups = from.length === 1 ? from : sortSmall(from, (a, b) => a - b).slice();
    upstream[spec.index] = ups;
    if ((ups[ups.length - 1] as number) >= spec.index) declaredInOrder = false;
    for (let k = 0; k < ups.length; k++) {
      const producer = ups[k] as number;
      const down = downstream[producer] as readonly number[];
      if (down.length === 0) downstream[producer] = [spec.index];
      else (down as number[]).push(spec.index);
    }
  }
  if (missing !== undefined) throw missingInputError(missing, producerOf, sources);
  for (let i = 0; i < downstream.length; i++) {
    const down = downstream[i] as readonly number[];
    if (down.length > 1) downstream[i] = down.slice();
  }
  return { specs, producerOf, sources: [...read].sort(), upstream, downstream, declaredInOrder };
}
