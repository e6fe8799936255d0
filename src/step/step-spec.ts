import type { RetryOptions } from "./retry-policy.js";
import type { Column } from "../data/dataset.js";
import type { Check } from "./check.js";
import type { CachePolicy, EngineName, FileFormat, FileOptionValue, RunFunction, Step } from "./step.js";

/** A file target with its format resolved. */
export interface ResolvedFileTarget {
  readonly path: string;
  readonly format: FileFormat;
  readonly options: Readonly<Record<string, FileOptionValue>>;
}

/** A step's body, keyed on `kind`. */
export type StepBody =
  | { readonly kind: "sql"; readonly sql: string }
  | { readonly kind: "run"; readonly fn: RunFunction; readonly engine: EngineName }
  | ({ readonly kind: "read" } & ResolvedFileTarget)
  | ({ readonly kind: "write" } & ResolvedFileTarget);

/** One input of a step: the name the body uses and the dataset it is bound to. */
export interface StepInput {
  readonly local: string;
  readonly dataset: string;
}

/** A validated step in the one shape the planner and executor work with. */
export interface StepSpec {
  readonly name: string;
  readonly layer: string | undefined;
  /** The step's tags, as declared (empty when it has none). */
  readonly tags: readonly string[];
  readonly description: string | undefined;
  /** Position in the declaration: ties in the plan's order are broken by it. */
  readonly index: number;
  readonly inputs: readonly StepInput[];
  /** The datasets of `inputs`, in order (what a node_start event lists); made by normalizeStep. */
  readonly inputDatasets?: readonly string[];
  readonly outputs: readonly string[];
  readonly body: StepBody;
  readonly params: Readonly<Record<string, unknown>>;
  readonly retry: RetryOptions | undefined;
  readonly timeoutMs: number | undefined;
  readonly cache: CachePolicy;
  readonly codeVersion: string | undefined;
  readonly checks: readonly Check[];
  /** Declared output columns (run steps), by output name; types upper-cased. */
  readonly columns: Readonly<Record<string, readonly Column[]>>;
  /** The declaration as the user gave it. */
  readonly source: Step;
}
