import type { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { storeOutput } from "../cache/store-output.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import type { RemoteBodies } from "../execute/remote-bodies.js";
import type { RunContext } from "../execute/run-context.js";
import { redactUrl } from "../history/postgres/postgres-url.js";
import type { StepSpec } from "../step/step-spec.js";
import { openBlobStore } from "../stores/open-blob-store.js";
import { SharedObjects } from "../stores/shared-objects.js";
import { q } from "../util/quote.js";
import { LINEA_VERSION } from "../util/version.js";
import { loadRef, toDataRef } from "./data-ref.js";
import { pipelineFingerprint } from "./pipeline-fingerprint.js";
import { QueueError, RemoteStepError } from "./queue-error.js";
import { cancelChannelOf, openRedis, queueNameOf } from "./redis-connection.js";
import { stepJobId, type DataRef, type StepJob, type StepJobResult } from "./step-job.js";

/** Options of {@link QueueStepExecutor.open}. */
export interface QueueExecutorOptions {
  /** `redis://HOST:PORT`. */
  readonly queue: string;
  /** The object store shared with the workers. */
  readonly store: string;
  /** Relative store folders resolve against it. */
  readonly baseDir: string;
  /** The coordinator's pull-through cache of stored objects. */
  readonly localCacheDir: string;
  readonly pipelineName: string;
  readonly specs: readonly StepSpec[];
  readonly runId: string;
  readonly runAttempt: number;
}

/** How often waiting jobs are looked up in Redis too, in case an event was missed. @default 1000 */
export const JOB_POLL_MS = 1000;
/** Polls in a row with Redis unreachable after which the waiting steps fail. */
const UNREACHABLE_POLLS = 10;

interface Waiter {
  resolve(result: StepJobResult): void;
  reject(error: Error): void;
}

function parseResult(value: unknown): StepJobResult {
  return (typeof value === "string" ? JSON.parse(value) : value) as StepJobResult;
}

/**
 * The queue-backed executor: each attempt of a remote step is one BullMQ job (`attempts: 1`; linea owns
 * retries) whose id is made of run id, run attempt, step and try, carrying references to its inputs in
 * the shared object store. It waits for the job's result (from BullMQ's events, and by looking the job up
 * every second in case an event was missed), accepts it once, and hands the outputs to the run as
 * handles of stored data, fetched only when something reads them. Aborting an attempt (timeout, Ctrl-C)
 * removes its job if it has not started and asks the workers to stop it if it has.
 */
export class QueueStepExecutor implements RemoteBodies {
  private readonly waiters = new Map<string, Waiter>();
  private readonly refs = new Map<string, Promise<DataRef>>();
  private readonly fingerprint: string;
  private readonly poller: NodeJS.Timeout;
  private downPolls = 0;

  private constructor(
    private readonly options: QueueExecutorOptions,
    private readonly objects: SharedObjects,
    private readonly connection: Redis,
    private readonly eventsConnection: Redis,
    private readonly bull: Queue<StepJob, StepJobResult>,
    private readonly events: QueueEvents,
    private readonly jobs: typeof Job,
  ) {
    this.fingerprint = pipelineFingerprint(options.pipelineName, options.specs, LINEA_VERSION);
    // An event without its return value (BullMQ may leave it out) is settled from the job itself.
    events.on("completed", ({ jobId, returnvalue }) => {
      const result = returnvalue === undefined || returnvalue === null || returnvalue === "null" ? undefined : parseResult(returnvalue);
      if (result?.kind === undefined) void this.lookUp(jobId);
      else this.settle(jobId, () => result);
    });
    events.on("failed", ({ jobId, failedReason }) => this.fail(jobId, failedReason));
    this.poller = setInterval(() => void this.poll(), JOB_POLL_MS);
    this.poller.unref();
  }

  /**
   * Checks the object store and Redis (an unreachable one is an error naming it) and opens the queue.
   * @throws ObjectStoreError, QueueError
   */
  static async open(options: QueueExecutorOptions): Promise<QueueStepExecutor> {
    const blobs = openBlobStore(options.store, options.baseDir);
    await blobs.check();
    const connection = await openRedis(options.queue);
    const { Queue, QueueEvents, Job } = await import("bullmq");
    const name = queueNameOf(options.pipelineName);
    const bull = new Queue<StepJob, StepJobResult>(name, { connection });
    const eventsConnection = connection.duplicate();
    eventsConnection.on("error", () => undefined);
    const events = new QueueEvents(name, { connection: eventsConnection });
    events.on("error", () => undefined);
    await Promise.all([bull.waitUntilReady(), events.waitUntilReady()]);
    return new QueueStepExecutor(options, new SharedObjects(blobs, options.localCacheDir), connection, eventsConnection, bull, events, Job);
  }

  handles(spec: StepSpec): boolean {
    return spec.source.placement !== "local";
  }

  async run(spec: StepSpec, rc: RunContext, attempt: number, signal: AbortSignal): Promise<DatasetHandle[]> {
    const inputs: Record<string, DataRef> = {};
    for (const input of spec.inputs) inputs[input.dataset] = await this.refOf(input.dataset, rc);
    let result = attempt === 1 && this.options.runAttempt > 1 ? await this.adopt(spec, signal) : undefined;
    if (result === undefined) {
      const job: StepJob = {
        format: 1, runId: this.options.runId, runAttempt: this.options.runAttempt, pipelineName: this.options.pipelineName,
        fingerprint: this.fingerprint, lineaVersion: LINEA_VERSION, step: spec.name, try: attempt, params: spec.params,
        timeoutMs: spec.timeoutMs ?? rc.settings.timeoutMs, inputs,
      };
      result = await this.submit(stepJobId(this.options.runId, this.options.runAttempt, spec.name, attempt), job, signal);
    }
    return this.accept(spec, result, rc);
  }

  /** Stops waiting, and disconnects. Jobs still queued stay for a resumed run to adopt. */
  async close(): Promise<void> {
    clearInterval(this.poller);
    for (const [id, waiter] of this.waiters) waiter.reject(new Error(`the run closed while job ${id} was running`));
    this.waiters.clear();
    await Promise.allSettled([this.events.close(), this.bull.close(), this.objects.blobs.close()]);
    this.connection.disconnect();
    this.eventsConnection.disconnect();
  }

  /** The reference of an input: the object a remote step stored, or a local dataset stored now (once). */
  private refOf(dataset: string, rc: RunContext): Promise<DataRef> {
    let ref = this.refs.get(dataset);
    if (ref === undefined) {
      ref = (async () => {
        const handle = rc.dataMap.handle(dataset);
        if (handle === undefined) throw new Error(`input ${q(dataset)} is not in the data map`);
        const stored = await storeOutput(handle, "input", this.objects.local);
        if (stored.data.kind !== "object") throw new Error(`input ${q(dataset)} could not be stored`);
        await this.objects.publish(stored.data.object);
        return toDataRef(stored, stored.data.object);
      })();
      ref.catch(() => this.refs.delete(dataset));
      this.refs.set(dataset, ref);
    }
    return ref;
  }

  private accept(spec: StepSpec, result: StepJobResult, rc: RunContext): DatasetHandle[] {
    if (result.kind === "refused") {
      throw new RemoteStepError(spec.name, `Worker ${result.worker} refused step ${q(spec.name)}: ${result.reason}.`);
    }
    if (result.kind === "failed") throw new RemoteStepError(spec.name, result.error.message, result.error.name, result.error.code);
    return spec.outputs.map((name) => {
      const ref = result.outputs[name];
      if (ref === undefined) throw new RemoteStepError(spec.name, `Worker ${result.worker} returned no output ${q(name)} for step ${q(spec.name)}.`);
      this.refs.set(name, Promise.resolve(ref));
      const form = ref.object.format === "arrow" ? "arrow" : "duckdb";
      const probes = { rowCount: ref.rowCount, schema: ref.schema, sample: ref.sample };
      return DatasetHandle.stored(name, form, () => loadRef(ref, this.objects, rc.runtime), probes, rc.runtime, ref.object.sha256);
    });
  }

  /** Adds the job (a no-op if a job of that id exists) and waits for its one accepted result. */
  private async submit(jobId: string, job: StepJob, signal: AbortSignal): Promise<StepJobResult> {
    const waiting = this.wait(jobId, signal);
    try {
      await this.bull.add(job.step, job, { jobId, attempts: 1, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 7 * 86_400 } });
    } catch (error) {
      this.fail(jobId, `could not add it to the queue: ${(error as Error).message}`);
    }
    void this.lookUp(jobId);
    return waiting;
  }

  private wait(jobId: string, signal: AbortSignal): Promise<StepJobResult> {
    return new Promise<StepJobResult>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.waiters.delete(jobId)) return;
        void this.cancel(jobId);
        reject(signal.reason as Error);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.set(jobId, {
        resolve: (r) => { signal.removeEventListener("abort", onAbort); resolve(r); },
        reject: (e) => { signal.removeEventListener("abort", onAbort); reject(e); },
      });
    });
  }

  /** The one accepted result of a job: later or duplicate reports find no waiter and are ignored. */
  private settle(jobId: string, result: () => StepJobResult): void {
    const waiter = this.waiters.get(jobId);
    if (waiter === undefined) return;
    this.waiters.delete(jobId);
    try {
      waiter.resolve(result());
    } catch (error) {
      waiter.reject(error as Error);
    }
  }

  private fail(jobId: string, reason: string): void {
    const waiter = this.waiters.get(jobId);
    if (waiter === undefined) return;
    this.waiters.delete(jobId);
    const step = jobId.split("|")[2] ?? jobId;
    waiter.reject(new RemoteStepError(step, `Step ${q(step)} failed on the worker pool: job ${jobId} ${reason}`));
  }

  /** Looks a waited-for job up in Redis: settles it if it has finished or vanished. */
  private async lookUp(jobId: string): Promise<void> {
    const job = await this.jobs.fromId<StepJob, StepJobResult>(this.bull, jobId).catch(() => undefined);
    if (!this.waiters.has(jobId)) return;
    if (job === undefined) return this.fail(jobId, "is no longer in the queue (removed by someone else)");
    const state = await job.getState().catch(() => "unknown");
    if (state === "completed") {
      const result = job.returnvalue === null || job.returnvalue === undefined ? undefined : parseResult(job.returnvalue);
      if (result?.kind !== undefined) this.settle(jobId, () => result);
    }
    else if (state === "failed") this.fail(jobId, `failed: ${job.failedReason}`);
  }

  private async poll(): Promise<void> {
    if (this.waiters.size === 0) return;
    if (this.connection.status !== "ready") {
      if (++this.downPolls < UNREACHABLE_POLLS) return;
      const display = redactUrl(this.options.queue);
      for (const [id, waiter] of [...this.waiters]) {
        this.waiters.delete(id);
        waiter.reject(new QueueError(display, `Queue ${q(display)} (Redis) became unreachable while job ${id} was running. Is Redis running? The run can be resumed once it is back.`));
      }
      return;
    }
    this.downPolls = 0;
    await Promise.all([...this.waiters.keys()].map((id) => this.lookUp(id)));
  }

  /** Removes a job that has not started; asks the workers to stop it if it has. */
  private async cancel(jobId: string): Promise<void> {
    const job = await this.jobs.fromId(this.bull, jobId).catch(() => undefined);
    const state = await job?.getState().catch(() => undefined);
    if (state === "waiting" || state === "delayed" || state === "prioritized") await job?.remove().catch(() => undefined);
    await this.connection.publish(cancelChannelOf(this.bull.name), jobId).catch(() => undefined);
  }

  /**
   * On a resumed run, a step's job from the run's previous attempt: adopted if it finished well, waited
   * for if it is still queued or running; undefined when there is none to adopt (the step runs afresh).
   */
  private async adopt(spec: StepSpec, signal: AbortSignal): Promise<StepJobResult | undefined> {
    for (let runAttempt = this.options.runAttempt - 1; runAttempt >= 1; runAttempt--) {
      let last: Job<StepJob, StepJobResult> | undefined;
      for (let t = 1; t <= 100; t++) {
        const job = await this.jobs.fromId<StepJob, StepJobResult>(this.bull, stepJobId(this.options.runId, runAttempt, spec.name, t));
        if (job === undefined) break;
        last = job;
      }
      if (last === undefined) continue;
      const state = await last.getState();
      if (state === "failed") return undefined;
      const result = state === "completed" ? parseResult(last.returnvalue) : await this.wait(last.id as string, signal).catch(() => undefined);
      if (state !== "completed" && result === undefined && signal.aborted) throw signal.reason as Error;
      return result?.kind === "success" ? result : undefined;
    }
    return undefined;
  }
}
