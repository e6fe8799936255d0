import type { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { inlineOutput, storeOutput } from "../cache/store-output.js";
import type { StoredOutput } from "../cache/stored-output.js";
import type { DataMap } from "../data/data-map.js";
import type { DataRuntime } from "../data/form-adapter.js";
import type { DataRef, StepExecutor, StepTask, StepTaskResult, TaskError } from "../execute/step-executor.js";
import { redactUrl } from "../history/postgres/postgres-url.js";
import type { StepSpec } from "../step/step-spec.js";
import { openBlobStore } from "../stores/open-blob-store.js";
import { SharedObjects } from "../stores/shared-objects.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import { LINEA_VERSION } from "../util/version.js";
import { sharedHandle } from "./data-ref.js";
import { pipelineFingerprint } from "./pipeline-fingerprint.js";
import { CANCEL_MARK_SECONDS, cancelChannelOf, cancelKeyOf, openRedis, queueNameOf } from "./redis-connection.js";
import { stepJobId, type StepJob, type StepJobResult } from "./step-job.js";

/** Options of {@link QueueStepExecutor.open}. */
export interface QueueExecutorOptions {
  /** `redis://HOST:PORT`. */
  readonly queue: string;
  /** The BullMQ queue's name (the workers' must be the same). @default `linea.<pipeline name>` */
  readonly queueName?: string | undefined;
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
  /** The run's data map: local inputs are read from it, remote outputs registered in it. */
  readonly dataMap: DataMap;
  readonly runtime: DataRuntime;
  /** Columns the workers mask in samples and snapshots. */
  readonly redact?: readonly string[] | undefined;
  readonly sampleRows?: number | undefined;
  /** Tells what the user should know (a resumed run waiting for a job its previous attempt left running). */
  readonly notice?: ((message: string) => void) | undefined;
}

/** How often waited-for jobs are looked up in Redis too, in case an event was missed. */
export const JOB_POLL_MS = 1000;
/** The longest a run's end waits for the queue's connections to close. */
const CLOSE_TIMEOUT_MS = 5000;
/** Polls in a row with Redis unreachable after which the waiting attempts fail. */
const UNREACHABLE_POLLS = 10;
/**
 * How long past its timeout the coordinator waits for a running job's worker to report before it ends the
 * attempt itself (the worker stops the step at its timeout; this covers a worker that went silent).
 */
const TIMEOUT_BACKSTOP_MS = 10_000;

function parseResult(value: unknown): StepJobResult | undefined {
  const parsed = (typeof value === "string" ? JSON.parse(value) : value) as StepJobResult | null | undefined;
  return parsed?.kind === undefined ? undefined : parsed;
}

/** A failed (or interrupted, timed out) attempt's result, made in the coordinator. */
function endedHere(outcome: StepTaskResult["outcome"], error: TaskError, startTime: string, started: number): StepTaskResult {
  return { outcome, outputs: {}, rowCounts: {}, checks: [], error, timings: { startTime, endTime: nowIso(), durationMs: performance.now() - started } };
}

/** One job the coordinator waits for: settled once, by whichever report comes first. */
interface Waiting {
  readonly promise: Promise<StepJobResult>;
  /** When the wait began (performance.now()): young waits are not looked up (their events are on the way). */
  readonly since: number;
  settle(result: StepJobResult | Error): void;
  /** Starts the timeout backstop once a worker has taken the job. */
  onActive?: () => void;
}

/**
 * The queue-backed {@link StepExecutor}: each attempt of a step is one BullMQ job (`attempts: 1`; linea
 * owns retries) whose id is made of run id, run attempt, step and try (adding it twice is a no-op),
 * carrying references to its inputs in the shared object store. It waits for the job's result (BullMQ's
 * events, and a look-up every second in case an event was missed), accepts it once, and registers the
 * outputs in the run's data map as handles of stored data, fetched only when something reads them.
 * Aborting an attempt (Ctrl-C) removes its job if it has not started and asks the workers to stop it if
 * it has. `run` never rejects: Redis or the store failing is the attempt's failure, naming them.
 */
export class QueueStepExecutor implements StepExecutor {
  readonly kind = "bullmq";
  readonly remote = true;
  private readonly waiting = new Map<string, Waiting>();
  /** Datasets already in the shared store, by name: outputs of remote steps, and local data stored once. */
  private readonly shared = new Map<string, Promise<StoredOutput>>();
  private readonly fingerprint: string;
  private readonly poller: NodeJS.Timeout;
  private downPolls = 0;
  /** Cancellations under way (a queued job being removed): the run's end waits for them before disconnecting. */
  private readonly cancelling = new Set<Promise<void>>();

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
    events.on("completed", ({ jobId, returnvalue }) => {
      const result = parseResult(returnvalue);
      // An event without its return value (BullMQ may leave it out) is settled from the job itself.
      if (result === undefined) void this.lookUp(jobId);
      else this.settle(jobId, result);
    });
    events.on("failed", ({ jobId, failedReason }) => this.settle(jobId, new Error(`failed in BullMQ: ${failedReason}`)));
    events.on("active", ({ jobId }) => this.waiting.get(jobId)?.onActive?.());
    this.poller = setInterval(() => void this.poll(), JOB_POLL_MS);
    this.poller.unref();
  }

  /**
   * Checks the object store and Redis (an unreachable one is an error naming it, before the run starts)
   * and opens the queue.
   * @throws ObjectStoreError, QueueError
   */
  static async open(options: QueueExecutorOptions): Promise<QueueStepExecutor> {
    const blobs = openBlobStore(options.store, options.baseDir);
    await blobs.check();
    const connection = await openRedis(options.queue);
    const { Queue, QueueEvents, Job } = await import("bullmq");
    const name = options.queueName ?? queueNameOf(options.pipelineName);
    const bull = new Queue<StepJob, StepJobResult>(name, { connection });
    bull.on("error", () => undefined);
    const eventsConnection = connection.duplicate();
    eventsConnection.on("error", () => undefined);
    const events = new QueueEvents(name, { connection: eventsConnection });
    events.on("error", () => undefined);
    await Promise.all([bull.waitUntilReady(), events.waitUntilReady()]);
    return new QueueStepExecutor(options, new SharedObjects(blobs, options.localCacheDir), connection, eventsConnection, bull, events, Job);
  }

  /** The BullMQ queue's name. */
  get queueName(): string {
    return this.bull.name;
  }

  async run(task: StepTask, signal: AbortSignal): Promise<StepTaskResult> {
    const startTime = nowIso();
    const started = performance.now();
    const step = task.step.name;
    const jobId = stepJobId(this.options.runId, this.options.runAttempt, step, task.attempt);
    try {
      const inputs: Record<string, { dataset: string; stored: StoredOutput }> = {};
      for (const [local, ref] of Object.entries(task.inputs)) inputs[local] = { dataset: ref.dataset, stored: await this.storedOf(ref) };
      const job: StepJob = {
        format: 2, runId: this.options.runId, runAttempt: this.options.runAttempt, pipelineName: this.options.pipelineName,
        fingerprint: this.fingerprint, lineaVersion: LINEA_VERSION, step: task.step, try: task.attempt, params: task.params,
        timeoutMs: task.timeoutMs, inputs, redact: [...(this.options.redact ?? [])], sampleRows: this.options.sampleRows ?? 5,
        ...(task.dataVersions !== undefined ? { dataVersions: task.dataVersions } : {}),
      };
      const adopted = task.attempt === 1 && this.options.runAttempt > 1 ? await this.adopt(job, signal) : undefined;
      const reply = adopted ?? (await this.submit(jobId, job, signal));
      return this.accept(task, reply);
    } catch (error) {
      if (signal.aborted) {
        return endedHere("interrupted", { name: "RunInterruptedError", code: "INTERRUPTED", message: `Step ${q(step)} was interrupted (job ${jobId} cancelled)` }, startTime, started);
      }
      if (error instanceof TimedOut) {
        return endedHere("timeout", { name: "StepTimeoutError", code: "STEP_TIMEOUT", message: error.message }, startTime, started);
      }
      const code = (error as { code?: unknown })?.code;
      return endedHere("failed", {
        name: (error as Error)?.name ?? "Error", message: `Step ${q(step)} could not run on the worker pool: ${errorMessage(error)}`,
        ...(typeof code === "string" ? { code } : {}),
      }, startTime, started);
    }
  }

  /** Stops waiting, and disconnects. Jobs still queued or running stay, for a resumed run to adopt. */
  async close(): Promise<void> {
    clearInterval(this.poller);
    for (const [id, waiting] of this.waiting) waiting.settle(new Error(`the run closed while job ${id} was running`));
    this.waiting.clear();
    // With Redis gone, BullMQ's close would wait for a reconnection that never comes: stop reconnecting first,
    // and never wait for the queue's goodbyes longer than CLOSE_TIMEOUT_MS.
    if (this.connection.status !== "ready") {
      this.connection.disconnect();
      this.eventsConnection.disconnect();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.cancelling]).then(() => Promise.allSettled([this.events.close(), this.bull.close(), this.objects.blobs.close()])),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    this.connection.disconnect();
    this.eventsConnection.disconnect();
  }

  /** An input as a stored object of the shared store: already there, or stored now (once per dataset). */
  private storedOf(ref: DataRef): Promise<StoredOutput> {
    if (ref.kind === "stored") return this.publishStored(ref.stored);
    let shared = this.shared.get(ref.dataset);
    if (shared === undefined) {
      shared = (async () => {
        const handle = this.options.dataMap.handle(ref.dataset);
        if (handle === undefined) throw new Error(`input ${q(ref.dataset)} is not in the data map`);
        const version = handle.version ?? "input";
        const stored = (await inlineOutput(handle, version)) ?? (await storeOutput(handle, version, this.objects.local));
        if (stored.data.kind === "inline") return stored;
        if (stored.data.kind !== "object") throw new Error(`input ${q(ref.dataset)} could not be stored as an object`);
        await this.objects.publish(stored.data.object);
        return stored;
      })();
      shared.catch(() => this.shared.delete(ref.dataset));
      this.shared.set(ref.dataset, shared);
    }
    return shared;
  }

  /** Stored data the run holds already (a reused step's output): put in the shared store unless it is there. */
  private async publishStored(stored: StoredOutput): Promise<StoredOutput> {
    if (stored.data.kind === "inline") return stored;
    if (stored.data.kind !== "object") throw new Error("a source file cannot be sent to workers as it is (a bug in linea: it is stored first)");
    const object = stored.data.object;
    if (await this.objects.local.has(object)) await this.objects.publish(object);
    return stored;
  }

  /** The attempt's result: a success's outputs registered in the data map as handles of shared data. */
  private accept(task: StepTask, reply: StepJobResult): StepTaskResult {
    if (reply.kind === "refused") throw new Error(`worker ${reply.worker} refused it: ${reply.reason}`);
    const { result } = reply;
    if (result.outcome !== "success") return result;
    const spec = this.options.specs[task.step.index];
    for (const name of spec?.outputs ?? []) {
      const ref = result.outputs[name];
      if (ref?.kind !== "stored") throw new Error(`worker ${reply.worker} returned no stored output ${q(name)}`);
      this.shared.set(name, Promise.resolve(ref.stored));
      this.options.dataMap.set(sharedHandle(name, ref.stored, this.objects, this.options.runtime));
    }
    return result;
  }

  /** Adds the job (a no-op if a job of that id exists) and waits for its one accepted result. */
  private async submit(jobId: string, job: StepJob, signal: AbortSignal): Promise<StepJobResult> {
    const waiting = this.wait(jobId, signal, job.timeoutMs, job.step.name);
    try {
      await this.bull.add(job.step.name, job, { jobId, attempts: 1, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 7 * 86_400 } });
    } catch (error) {
      this.settle(jobId, new Error(`could not add job ${jobId} to queue ${q(this.bull.name)} on ${redactUrl(this.options.queue)}: ${errorMessage(error)}`));
    }
    void this.lookUp(jobId);
    return waiting;
  }

  /** Waits for a job's result; joins the wait when one is under way already (a duplicate submission). */
  private wait(jobId: string, signal: AbortSignal, timeoutMs: number | undefined, step: string): Promise<StepJobResult> {
    const existing = this.waiting.get(jobId);
    if (existing !== undefined) return existing.promise;
    let backstop: NodeJS.Timeout | undefined;
    let settle!: (result: StepJobResult | Error) => void;
    const onAbort = (): void => {
      this.cancelSoon(jobId);
      this.settle(jobId, signal.reason instanceof Error ? signal.reason : new Error("interrupted"));
    };
    const promise = new Promise<StepJobResult>((resolve, reject) => {
      settle = (result) => {
        clearTimeout(backstop);
        signal.removeEventListener("abort", onAbort);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
    });
    const entry: Waiting = {
      promise, settle, since: performance.now(),
      onActive: timeoutMs === undefined ? undefined : () => {
        clearTimeout(backstop);
        backstop = setTimeout(() => {
          this.cancelSoon(jobId);
          this.settle(jobId, new TimedOut(`Step ${q(step)} timed out after ${timeoutMs} ms: its worker did not report within ${TIMEOUT_BACKSTOP_MS} ms after that, and the job was cancelled`));
        }, timeoutMs + TIMEOUT_BACKSTOP_MS);
      },
    };
    this.waiting.set(jobId, entry);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    return promise;
  }

  /** The one accepted report of a job: later or duplicate reports find nothing waiting and are ignored. */
  private settle(jobId: string, result: StepJobResult | Error): void {
    const waiting = this.waiting.get(jobId);
    if (waiting === undefined) return;
    this.waiting.delete(jobId);
    waiting.settle(result);
  }

  /** Looks a waited-for job up in Redis: settles it if it has finished or vanished. */
  private async lookUp(jobId: string): Promise<void> {
    const job = await this.jobs.fromId<StepJob, StepJobResult>(this.bull, jobId).catch(() => null);
    if (!this.waiting.has(jobId) || job === null) return;
    if (job === undefined) return this.settle(jobId, new Error(`job ${jobId} is no longer in queue ${q(this.bull.name)} (removed by someone else)`));
    const state = await job.getState().catch(() => "unknown");
    if (state === "completed") {
      const result = parseResult(job.returnvalue);
      if (result !== undefined) this.settle(jobId, result);
    } else if (state === "failed") this.settle(jobId, new Error(`failed in BullMQ: ${job.failedReason}`));
    else if (state === "active") this.waiting.get(jobId)?.onActive?.();
  }

  private async poll(): Promise<void> {
    if (this.waiting.size === 0) return;
    if (this.connection.status !== "ready") {
      if (++this.downPolls < UNREACHABLE_POLLS) return;
      const display = redactUrl(this.options.queue);
      for (const id of [...this.waiting.keys()]) {
        this.settle(id, new Error(`queue ${q(display)} (Redis) became unreachable while job ${id} was running. Is Redis running? Resume the run (linea resume) once it is back`));
      }
      return;
    }
    this.downPolls = 0;
    const old = performance.now() - 2 * JOB_POLL_MS;
    await Promise.all([...this.waiting].filter(([, w]) => w.since < old).map(([id]) => this.lookUp(id)));
  }

  /** {@link cancel} in the background, waited for by {@link close}. */
  private cancelSoon(jobId: string): void {
    const cancelling = this.cancel(jobId).catch(() => undefined);
    this.cancelling.add(cancelling);
    void cancelling.finally(() => this.cancelling.delete(cancelling));
  }

  /** Removes a job that has not started; asks the workers to stop it if it has. */
  private async cancel(jobId: string): Promise<void> {
    const job = await this.jobs.fromId(this.bull, jobId).catch(() => undefined);
    const state = await job?.getState().catch(() => undefined);
    if (state === "waiting" || state === "delayed" || state === "prioritized") await job?.remove().catch(() => undefined);
    // A mark that workers look for too, in case the message below does not reach them (it is not kept).
    await this.connection.set(cancelKeyOf(this.bull.name, jobId), "1", "EX", CANCEL_MARK_SECONDS).catch(() => undefined);
    await this.connection.publish(cancelChannelOf(this.bull.name), jobId).catch(() => undefined);
  }

  /**
   * On a resumed run, the step's job from the run's previous attempt with the same inputs: adopted if it
   * succeeded, waited for if it is still queued or running; undefined when there is none to adopt (the step
   * then runs afresh).
   */
  private async adopt(job: StepJob, signal: AbortSignal): Promise<StepJobResult | undefined> {
    const step = job.step.name;
    for (let runAttempt = this.options.runAttempt - 1; runAttempt >= 1; runAttempt--) {
      let last: Job<StepJob, StepJobResult> | undefined;
      for (let t = 1; t <= 100; t++) {
        const found = await this.jobs.fromId<StepJob, StepJobResult>(this.bull, stepJobId(this.options.runId, runAttempt, step, t));
        if (found === undefined) break;
        last = found;
      }
      if (last === undefined) continue;
      if (!sameInputs(last.data, job)) return undefined;
      const state = await last.getState();
      if (state === "failed") return undefined;
      if (state !== "completed") this.options.notice?.(`step ${q(step)}: waiting for job ${last.id} of the run's attempt ${runAttempt}, still ${state} on the worker pool, instead of running it again`);
      const result = state === "completed"
        ? parseResult(last.returnvalue)
        : await this.wait(last.id as string, signal, job.timeoutMs, step).then((r) => r, (error: unknown) => {
          if (signal.aborted) throw error;
          return undefined;
        });
      return result?.kind === "ended" && result.result.outcome === "success" ? result : undefined;
    }
    return undefined;
  }
}

/** The coordinator ended an attempt past its timeout. */
class TimedOut extends Error {}

/** True when two jobs of a step read the same data (by content hash). */
function sameInputs(a: StepJob, b: StepJob): boolean {
  const hashes = (job: StepJob): string => JSON.stringify(Object.entries(job.inputs ?? {}).map(([local, i]) => [local, i.stored.data.kind === "object" ? i.stored.data.object.sha256 : i.stored.data.kind === "inline" ? i.stored.data.sha256 : ""]).sort());
  return a.format === b.format && JSON.stringify(a.params) === JSON.stringify(b.params) && hashes(a) === hashes(b);
}
