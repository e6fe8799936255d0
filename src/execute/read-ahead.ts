import type { DatasetHandle } from "../data/dataset-handle.js";
import { adapterFor } from "../data/form-adapters.js";
import type { StepSpec } from "../step/step-spec.js";
import { executeBody } from "./execute-body.js";
import type { RunContext, StartedAhead } from "./run-context.js";

/** A read started ahead: its own signal (following the run's), and its outputs to come. */
interface Started {
  readonly controller: AbortController;
  readonly outputs: Promise<DatasetHandle[]>;
}

/**
 * Read steps started before the run's plan is made. A read step's key holds its source file's content
 * hash, so planning waits for every source file new to the cache (or changed since it was hashed) to be
 * hashed: a 186 MB CSV takes about 0.15 s, during which nothing could run. Reading the file while it is
 * hashed overlaps the two. Once the plan is made, a read step that runs takes its read as its first
 * attempt ({@link take}); one that the plan reuses, or that never runs (the run was interrupted first), has
 * its read interrupted and its data freed ({@link cancel}, {@link close}). The cost of being wrong: part of
 * a read, and the CPU it took from the hashing, when the plan reuses the step after all (a file changed back
 * to content seen before).
 */
export class ReadAhead implements StartedAhead {
  private readonly started = new Map<number, Started>();
  /** Reads cancelled, until each has let go of its data. */
  private readonly releasing: Promise<void>[] = [];

  constructor(private readonly rc: RunContext) {}

  /** The steps read ahead, by index. */
  get indexes(): number[] {
    return [...this.started.keys()];
  }

  /** Starts the read step's body now, as its first attempt will run it; interrupted with the run. */
  start(spec: StepSpec): void {
    const controller = new AbortController();
    const run = this.rc.signal;
    if (run.aborted) controller.abort(run.reason);
    else run.addEventListener("abort", () => controller.abort(run.reason), { once: true });
    const outputs = Promise.resolve().then(() => {
      if (controller.signal.aborted) throw controller.signal.reason;
      return executeBody(spec, this.rc, 1, controller.signal);
    });
    // Whoever takes it (the first attempt) or cancels it sees its failure; until then it is not unhandled.
    outputs.catch(() => undefined);
    this.started.set(spec.index, { controller, outputs });
  }

  /**
   * The outputs of the step's read started ahead, once (undefined when it was not read ahead): the first
   * attempt's body. From now on `signal` (the attempt's: its timeout, the run's interruption) interrupts it.
   */
  take(index: number, signal: AbortSignal): Promise<DatasetHandle[]> | undefined {
    const started = this.started.get(index);
    if (started === undefined) return undefined;
    this.started.delete(index);
    if (signal.aborted) started.controller.abort(signal.reason);
    else signal.addEventListener("abort", () => started.controller.abort(signal.reason), { once: true });
    return started.outputs;
  }

  /** The step will not run its read (the plan reuses it): interrupts the read and frees its data. */
  cancel(index: number): void {
    const started = this.started.get(index);
    if (started === undefined) return;
    this.started.delete(index);
    started.controller.abort(new Error("read ahead no longer needed"));
    this.releasing.push(started.outputs.then(release, () => undefined));
  }

  /** Cancels every read no attempt took, and resolves once each has let go of its data. Never rejects. */
  async close(): Promise<void> {
    for (const index of this.indexes) this.cancel(index);
    await Promise.all(this.releasing);
  }
}

/** Frees what the outputs hold in their engine (a table of the run's DuckDB), best-effort. */
async function release(outputs: readonly DatasetHandle[]): Promise<void> {
  for (const handle of outputs) {
    const value = handle.valueNow(handle.form);
    if (value !== undefined) await adapterFor(handle.form).release?.(value as never).catch(() => undefined);
  }
}
