import { availableParallelism, loadavg } from "node:os";
import { formatCount } from "../util/format-count.js";

/**
 * Which outputs a run keeps (in the cache and its checkpoint): `"auto"` keeps what is expensive to
 * recompute or cheap to store, and leaves large intermediate outputs that were quick to compute to be
 * recomputed from their inputs when something needs them; `"all"` keeps every output.
 */
export const PERSIST_MODES = ["auto", "all"] as const;
export type PersistMode = (typeof PERSIST_MODES)[number];

/** @default 1,000,000 cells (rows × columns): about 100k rows of 10 columns. */
export const DEFAULT_PERSIST_SMALL_CELLS = 1_000_000;

/**
 * What writing an output costs, per cell (rows × columns), as DuckDB writes Parquet and linea hashes it:
 * measured on the W1 benchmark's tables (2.4M rows) at about 25 ns on one core; the rule only needs the order.
 */
export const DEFAULT_WRITE_NS_PER_CELL = 25;

/**
 * How many times longer than storing it a large output's step must have taken for the output to be kept.
 * Storing is paid by every run that makes the output; recomputing it only by a later run that reuses its
 * step but needs its data (a resume below it, a change just below it). At 2, an output is kept when at
 * least one such run in two would come.
 */
export const DEFAULT_PERSIST_RECOMPUTE_FACTOR = 2;

/** The settings of the policy (the run's `persist`, `persistSmallCells`, `persistWriteNsPerCell` and `persistRecomputeFactor` options). */
export interface PersistSettings {
  readonly mode: PersistMode;
  /** Outputs of at most this many cells are always kept. */
  readonly smallCells: number;
  /** What storing one cell costs, in nanoseconds. @default DEFAULT_WRITE_NS_PER_CELL */
  readonly writeNsPerCell?: number;
  /** A large output is kept when its step took more than this many times as long as storing it would. @default DEFAULT_PERSIST_RECOMPUTE_FACTOR */
  readonly recomputeFactor?: number;
  /** The machine's slowdown now (tests give their own). @default machineSlowdown */
  readonly slowdown?: () => number;
}

/** The busy machine's part of the decision: how much slower than on an idle machine everything runs now. */
export interface PersistCandidateLoad {
  /**
   * The machine's load per core when the step ended (at least 1): a step's time grows with it, so the write
   * estimate is scaled by it too, or a busy machine would keep more (and run slower still). @default 1
   */
  readonly slowdown?: number;
}

/** What the policy looks at for one output that is neither a source file, nor written by a write step, nor inline. */
export interface PersistCandidate {
  readonly rowCount: number;
  readonly columnCount: number;
  /** How long its step took (its last attempt, checks included). */
  readonly durationMs: number;
  /** True when some step of the pipeline reads it (an output nobody reads is the run's result, always kept). */
  readonly consumed: boolean;
  /**
   * True when an earlier run made it and did not keep it, and this run made it again because a step reads
   * it: an output needed again is kept, so that the next such run does not rebuild it once more.
   */
  readonly rebuilt?: boolean;
}

/** Whether an output is kept, and why (said in the run's log of what it kept). */
export interface PersistVerdict {
  readonly keep: boolean;
  readonly reason: string;
}

/** The estimated time to store an output of `cells` cells, in milliseconds. */
export function writeEstimateMs(cells: number, nsPerCell = DEFAULT_WRITE_NS_PER_CELL): number {
  return (cells * nsPerCell) / 1e6;
}

/**
 * Decides whether to keep one output. Under `"auto"`: an output nobody reads, or of at most
 * `smallCells` cells, or rebuilt because a later run needed it, is kept; another is kept only when its step
 * took more than `recomputeFactor` times as long as storing it would ({@link writeEstimateMs}, scaled by the
 * machine's load): recomputing it now and then, from its inputs, would cost more than writing it on every
 * run that makes it.
 */
export function decidePersist(candidate: PersistCandidate & PersistCandidateLoad, settings: PersistSettings): PersistVerdict {
  if (settings.mode === "all") return { keep: true, reason: 'persist: "all"' };
  if (!candidate.consumed) return { keep: true, reason: "no step reads it: it is a result of the run" };
  const cells = candidate.rowCount * Math.max(1, candidate.columnCount);
  if (cells <= settings.smallCells) return { keep: true, reason: `small (${formatCount(cells)} cells)` };
  if (candidate.rebuilt === true) return { keep: true, reason: "rebuilt for a step that reads it (an earlier run did not keep it): kept, so that the next run need not rebuild it" };
  const writeMs = writeEstimateMs(cells, settings.writeNsPerCell) * Math.max(1, candidate.slowdown ?? 1);
  const factor = settings.recomputeFactor ?? DEFAULT_PERSIST_RECOMPUTE_FACTOR;
  const size = `${formatCount(candidate.rowCount)} rows × ${candidate.columnCount} columns`;
  const store = `${factor === 1 ? "" : `${factor} × `}the ~${Math.round(writeMs)} ms to store it`;
  if (candidate.durationMs > factor * writeMs) {
    return { keep: true, reason: `costly to recompute: ${size} took ${Math.round(candidate.durationMs)} ms, more than ${store}` };
  }
  return { keep: false, reason: `cheaper to recompute from its inputs: ${size} took ${Math.round(candidate.durationMs)} ms, not more than ${store}` };
}

/** The machine's load per core now, at least 1 (see {@link PersistCandidateLoad.slowdown}). */
export function machineSlowdown(): number {
  return Math.max(1, loadavg()[0] as number / availableParallelism());
}
