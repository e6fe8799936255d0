import { Worker } from "node:worker_threads";
import type { StepTaskResult } from "../execute/step-executor.js";
import type { StepJob } from "./step-job.js";

/**
 * The thread's module, beside this one: compiled JavaScript in the package; TypeScript when linea runs from
 * its sources, which works when the process runs under `node --import tsx` (threads inherit its flags).
 */
const STEP_THREAD = new URL(`./step-thread${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

/** What every thread of a pool is given. */
export interface StepThreadData {
  readonly pipelinePath: string;
  readonly cwd: string;
  readonly store: string;
  readonly localCacheDir: string;
}

/** Main thread to step thread: run this job. */
export interface ThreadRequest {
  readonly jobId: string;
  readonly job: StepJob;
}

/** Step thread to main thread: the job's result, or the thread could not run it at all. */
export type ThreadReply =
  | { readonly kind: "result"; readonly jobId: string; readonly result: StepTaskResult }
  | { readonly kind: "crash"; readonly jobId: string; readonly message: string };

/** A job stopped on the worker: cancelled by its coordinator, or past its time. */
export class JobStoppedError extends Error {}

interface Slot {
  thread: Worker;
  busy: { jobId: string; resolve: (r: StepTaskResult) => void; reject: (e: Error) => void } | undefined;
}

/**
 * Runs jobs on a fixed number of worker threads, one job per thread at a time. A job is stopped by
 * terminating its thread (which a step blocking its thread cannot resist) and starting a fresh one.
 */
export class StepThreadPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(private readonly size: number, private readonly data: StepThreadData) {
    for (let i = 0; i < size; i++) this.slots.push({ thread: this.spawn(), busy: undefined });
  }

  private spawn(): Worker {
    const thread = STEP_THREAD.pathname.endsWith(".ts")
      // tsx's --import hooks do not reach worker threads: the thread registers them before loading its module.
      ? new Worker(`import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(STEP_THREAD.href)}); });`, { eval: true, workerData: this.data })
      : new Worker(STEP_THREAD, { workerData: this.data });
    thread.on("message", (reply: ThreadReply) => {
      const slot = this.slots.find((s) => s.thread === thread);
      const busy = slot?.busy;
      if (slot === undefined || busy === undefined || busy.jobId !== reply.jobId) return;
      slot.busy = undefined;
      if (reply.kind === "result") busy.resolve(reply.result);
      else busy.reject(new Error(`the worker thread could not run the job: ${reply.message}`));
      this.waiting.shift()?.();
    });
    thread.on("error", (error) => this.replace(thread, error));
    thread.on("exit", () => this.replace(thread, new Error("the worker thread exited")));
    return thread;
  }

  private replace(thread: Worker, error: Error): void {
    const slot = this.slots.find((s) => s.thread === thread);
    if (slot === undefined) return;
    const busy = slot.busy;
    slot.busy = undefined;
    if (!this.closed) slot.thread = this.spawn();
    busy?.reject(error);
    this.waiting.shift()?.();
  }

  /** Runs a job on the next free thread. Rejects with JobStoppedError when stopped. */
  async run(jobId: string, job: StepJob): Promise<StepTaskResult> {
    let slot = this.slots.find((s) => s.busy === undefined);
    while (slot === undefined) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      slot = this.slots.find((s) => s.busy === undefined);
    }
    const chosen = slot;
    return new Promise<StepTaskResult>((resolve, reject) => {
      chosen.busy = { jobId, resolve, reject };
      chosen.thread.postMessage({ jobId, job } satisfies ThreadRequest);
    });
  }

  /** Stops a running job: its thread is terminated and replaced. False when no thread runs it. */
  stop(jobId: string, reason: string): boolean {
    const slot = this.slots.find((s) => s.busy?.jobId === jobId);
    if (slot === undefined) return false;
    const old = slot.thread;
    const busy = slot.busy;
    slot.busy = undefined;
    slot.thread = this.spawn();
    void old.terminate();
    busy?.reject(new JobStoppedError(reason));
    this.waiting.shift()?.();
    return true;
  }

  /** True when a thread runs `jobId`. */
  running(jobId: string): boolean {
    return this.slots.some((s) => s.busy?.jobId === jobId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.thread.terminate()));
  }

  get threads(): number {
    return this.size;
  }
}
