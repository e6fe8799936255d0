import { LineaError } from "../errors/linea-error.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import { MinHeap } from "../util/min-heap.js";
import { isPromiseLike } from "../util/is-promise-like.js";
import { skippedResult, type NodeResult, type StatusReason } from "./node-result.js";

/** The scheduler's buckets. A node moves pending -> ready -> running -> done | failed, or to skipped. */
const enum State {
  Pending,
  Ready,
  Running,
  Done,
  Failed,
  Skipped,
}
const STATE_NAMES = ["pending", "ready", "running", "done", "failed", "skipped"] as const;

export interface ScheduleOptions {
  readonly maxWorkers: number;
  readonly continueOnError: boolean;
  /** Stops the run: nothing new starts (running nodes see the abort through their own signals). */
  readonly signal?: AbortSignal;
}

export interface ScheduleCallbacks {
  /**
   * Runs one node to its end; must not reject (a rejection or a throw is recorded as a failure of the node).
   * A node that ended at once may return its result itself: the scheduler then goes on without a promise.
   */
  run(index: number): NodeResult | Promise<NodeResult>;
  /** Told of every node decided without running, at the moment it is decided. */
  skipped(index: number, result: NodeResult): void;
}

/** The scheduler found nodes that can never become ready: a bug, reported with every non-empty bucket. */
export class SchedulerStallError extends LineaError {
  readonly buckets: Readonly<Record<string, readonly string[]>>;

  constructor(buckets: Record<string, string[]>) {
    const listed = Object.entries(buckets).map(([name, steps]) => `${name}: ${steps.join(", ")}`).join("; ");
    super("STEP_FAILED", `Scheduler stalled with nothing running: ${listed}. This is a bug in linea; please report it.`);
    this.buckets = buckets;
  }
}

/** The result of a node whose run callback threw or rejected. */
function failure(error: unknown): NodeResult {
  return { status: "failed", attempts: 1, attemptLog: [], durationMs: 0, error: error as Error };
}

/** Batches of nodes that ended at once filed in microtasks between two turns of the event loop. */
const YIELD_EVERY = 16;

/**
 * Runs a planned pipeline with a ready queue: a node starts the moment its last upstream finishes (not
 * when its whole layer does), at most `maxWorkers` at once, ready nodes in plan order.
 *
 * On a failure, fail-fast (the default) starts nothing new, lets running nodes finish, and marks every
 * node that never started `aborted` (`fail_fast_abort`); continue-on-error marks the failed node's
 * descendants `blocked` (naming it) and runs every independent branch to its end. An abort of `signal`
 * starts nothing new and marks never-started nodes `aborted` (`interrupted`).
 */
export function schedule(planned: PlannedPipeline, options: ScheduleOptions, callbacks: ScheduleCallbacks): Promise<NodeResult[]> {
  const { dag, rank, order } = planned;
  const count = dag.specs.length;
  const state = new Uint8Array(count);
  const waiting = new Int32Array(count);
  for (let i = 0; i < count; i++) waiting[i] = (dag.upstream[i] as readonly number[]).length;
  const results = new Array<NodeResult | undefined>(count);
  const ready = new MinHeap();
  const maxWorkers = Math.max(1, options.maxWorkers);
  let running = 0;
  let stopReason: StatusReason | undefined;
  const nameOf = (i: number): string => dag.specs[i]?.name ?? "?";

  for (let i = 0; i < count; i++) {
    if (waiting[i] === 0) {
      state[i] = State.Ready;
      ready.push(rank[i] as number);
    }
  }

  return new Promise<NodeResult[]>((resolve, reject) => {
    let finished = false;

    const block = (failed: number): void => {
      const blocked: number[] = [];
      const stack = [failed];
      while (stack.length > 0) {
        for (const down of dag.downstream[stack.pop() as number] ?? []) {
          if (state[down] !== State.Pending) continue;
          state[down] = State.Skipped;
          blocked.push(down);
          stack.push(down);
        }
      }
      blocked.sort((a, b) => (rank[a] as number) - (rank[b] as number));
      for (const index of blocked) {
        const result = skippedResult("blocked", "upstream_failed", nameOf(failed));
        results[index] = result;
        callbacks.skipped(index, result);
      }
    };

    /** Files a node's result: its downstream nodes may become ready, or the run stops or blocks them. */
    const settle = (index: number, result: NodeResult): void => {
      running--;
      results[index] = result;
      if (result.status === "success" || result.status === "cached") {
        state[index] = State.Done;
        const downs = dag.downstream[index] as readonly number[];
        for (let k = 0; k < downs.length; k++) {
          const down = downs[k] as number;
          if (--(waiting[down] as number) === 0 && state[down] === State.Pending) {
            state[down] = State.Ready;
            ready.push(rank[down] as number);
          }
        }
      } else {
        state[index] = State.Failed;
        if (stopReason === undefined) {
          if (options.continueOnError) block(index);
          else stopReason = "fail_fast_abort";
        }
      }
    };

    const settled = (index: number, result: NodeResult): void => {
      settle(index, result);
      pump();
    };

    const finish = (): void => {
      if (finished) return;
      const leftover: number[] = [];
      for (let p = 0; p < order.length; p++) {
        const index = order[p] as number;
        if (state[index] === State.Pending || state[index] === State.Ready) leftover.push(index);
      }
      if (leftover.length > 0 && stopReason === undefined) {
        finished = true;
        const buckets: Record<string, string[]> = {};
        for (const index of order) (buckets[STATE_NAMES[state[index] as State]] ??= []).push(nameOf(index));
        reject(new SchedulerStallError(buckets));
        return;
      }
      finished = true;
      options.signal?.removeEventListener("abort", onAbort);
      for (const index of leftover) {
        state[index] = State.Skipped;
        const result = skippedResult("aborted", stopReason as StatusReason);
        results[index] = result;
        callbacks.skipped(index, result);
      }
      resolve(results as NodeResult[]);
    };

    // Nodes that ended at once (their run callback returned the result): filed together in a microtask.
    const endedNodes: number[] = [];
    const endedResults: NodeResult[] = [];
    let filing = false;
    let batches = 0;

    /**
     * Files the nodes that ended at once, as if each had ended a moment later the way a promise would: the
     * rest of the batch has started by then, and what observers of the run left in the microtask queue (the
     * tracker's snapshots) moves on between batches instead of piling up over a whole run of quick steps.
     */
    const fileEnded = (): void => {
      filing = false;
      for (let i = 0; i < endedNodes.length; i++) settle(endedNodes[i] as number, endedResults[i] as NodeResult);
      endedNodes.length = 0;
      endedResults.length = 0;
      pump();
    };

    /** Starts ready nodes, up to maxWorkers running. */
    const pump = (): void => {
      while (stopReason === undefined && running < maxWorkers && ready.size > 0) {
        const index = order[ready.pop() as number] as number;
        state[index] = State.Running;
        running++;
        let started: NodeResult | Promise<NodeResult>;
        try {
          started = callbacks.run(index);
        } catch (error) {
          started = failure(error);
        }
        if (isPromiseLike(started)) {
          Promise.resolve(started).then(
            (result) => settled(index, result),
            (error: unknown) => settled(index, failure(error)),
          );
        } else {
          endedNodes.push(index);
          endedResults.push(started);
        }
      }
      if (endedNodes.length > 0) {
        if (!filing) {
          filing = true;
          // A resolved promise's then, not queueMicrotask (which wraps each callback in an async resource); every
          // YIELD_EVERY batches a macrotask instead, so that I/O (the cache's, checkpoints', history's writes)
          // completes while a long run of quick steps goes on, rather than all of it piling up until the end.
          if (++batches % YIELD_EVERY === 0) setImmediate(fileEnded);
          else void Promise.resolve().then(fileEnded);
        }
        return;
      }
      if (running === 0) finish();
    };

    const onAbort = (): void => {
      stopReason ??= "interrupted";
      if (running === 0) finish();
    };
    if (options.signal?.aborted) stopReason = "interrupted";
    else options.signal?.addEventListener("abort", onAbort, { once: true });

    pump();
  });
}
