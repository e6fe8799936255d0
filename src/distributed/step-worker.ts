import { hostname } from "node:os";
import { resolve } from "node:path";
import type { Job, Worker as BullWorker } from "bullmq";
import { redactUrl } from "../history/postgres/postgres-url.js";
import { loadPipeline } from "../pipeline-file/load-pipeline.js";
import { normalizeStep } from "../step/normalize-step.js";
import { FolderObjectStore } from "../cache/folder-object-store.js";
import { DEFAULT_CACHE_MAX_BYTES, DEFAULT_PATHS } from "../util/default-paths.js";
import { openBlobStore } from "../stores/open-blob-store.js";
import { trimLocalCopies } from "../stores/trim-local-copies.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { LINEA_VERSION } from "../util/version.js";
import { pipelineFingerprint } from "./pipeline-fingerprint.js";
import { cancelChannelOf, cancelKeyOf, openRedis, queueNameOf } from "./redis-connection.js";
import type { StepJob, StepJobResult } from "./step-job.js";
import { JobStoppedError, StepThreadPool } from "./step-thread-pool.js";

/** How long past its timeout a step's thread may go on before it is terminated. */
const STOP_GRACE_MS = 1000;

/** Options of {@link startStepWorker} (what `linea worker` is given). */
export interface StepWorkerOptions {
  readonly pipelinePath: string;
  /** `redis://HOST:PORT`. */
  readonly queue: string;
  /** The shared object store: a folder, `file://...` or `s3://bucket/prefix`. */
  readonly store: string;
  /** Jobs run at once, each on its own thread. @default 1 */
  readonly concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (renewed at half of it while the job runs): a worker
   * killed mid-step loses its jobs to other workers about this long after. @default 30000
   */
  readonly leaseMs?: number;
  /** The BullMQ queue's name: the coordinator's must be the same. @default `linea.<pipeline name>` */
  readonly queueName?: string;
  /** The local pull-through cache of stored objects. @default ".linea/worker-cache" under cwd */
  readonly localCacheDir?: string;
  /**
   * The size the local cache is trimmed to (least recently used copies first, none used in the last 10
   * minutes), after jobs, at most once a minute. @default 5 GiB
   */
  readonly localCacheMaxBytes?: number | undefined;
  readonly cwd: string;
  /** One line per event worth telling (a job taken, done, refused, cancelled). */
  readonly log: (line: string) => void;
}

/** A running worker. */
export interface StepWorker {
  readonly queueName: string;
  readonly fingerprint: string;
  /** Stops taking jobs, lets running ones finish (or stops them when `force`), and disconnects. */
  close(force?: boolean): Promise<void>;
}

/** At most how often a worker trims its local cache of stored objects. */
const TRIM_EVERY_MS = 60_000;

/**
 * After a job: trims the local cache in the background, at most once every {@link TRIM_EVERY_MS} and never two
 * at once. A failure is a log line; it never fails a job.
 */
function localCacheTrimmer(dir: string, maxBytes: number, log: (line: string) => void): () => void {
  const local = new FolderObjectStore(dir);
  let last = 0;
  let trimming = false;
  return () => {
    const now = Date.now();
    if (trimming || now - last < TRIM_EVERY_MS) return;
    trimming = true;
    last = now;
    trimLocalCopies(local, maxBytes)
      .then((bytes) => { if (bytes > 0) log(`trimmed the local cache ${dir} by ${bytes} bytes`); })
      .catch((error: unknown) => log(`could not trim the local cache ${dir}: ${errorMessage(error)}`))
      .finally(() => { trimming = false; });
  };
}

/** How often a worker looks for cancellation marks of the jobs it runs. */
const CANCEL_CHECK_MS = 500;

/**
 * Starts a worker: loads the pipeline (the same file as the coordinator's), checks the object store and
 * Redis (an unreachable one is an error naming it), and takes the pipeline's jobs from BullMQ, running
 * each on a worker thread. Jobs of another pipeline fingerprint or linea version are refused.
 */
export async function startStepWorker(options: StepWorkerOptions): Promise<StepWorker> {
  const pipelinePath = resolve(options.cwd, options.pipelinePath);
  const pipeline = await loadPipeline(pipelinePath, { cwd: options.cwd });
  const specs = pipeline.steps.map((step, index) => normalizeStep(step, index));
  const fingerprint = pipelineFingerprint(pipeline.name, specs, LINEA_VERSION);
  const store = openBlobStore(options.store, options.cwd);
  await store.check();
  await store.close();
  const connection = await openRedis(options.queue);
  const subscriber = connection.duplicate();
  subscriber.on("error", () => undefined);
  const queueName = options.queueName ?? queueNameOf(pipeline.name);
  const worker = `${hostname()}:${process.pid}`;
  const localCacheDir = resolve(options.cwd, options.localCacheDir ?? DEFAULT_PATHS.localCopies);
  const pool = new StepThreadPool(options.concurrency ?? 1, { pipelinePath, cwd: options.cwd, store: options.store, localCacheDir });
  const trimmer = localCacheTrimmer(localCacheDir, options.localCacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES, options.log);
  // A job BullMQ hands over again while this worker still runs it (its lock renewal came too late, or
  // the stalled-job check raced it) joins the running attempt instead of starting a second one.
  const running = new Map<string, Promise<StepJobResult>>();
  const execute = async (id: string, data: StepJob): Promise<StepJobResult> => {
    if (data.fingerprint !== fingerprint || data.lineaVersion !== LINEA_VERSION) {
      const reason = data.lineaVersion !== LINEA_VERSION
        ? `the coordinator runs linea ${data.lineaVersion} and this worker linea ${LINEA_VERSION}: run the same linea version everywhere`
        : `the coordinator's pipeline differs from this worker's (fingerprint ${String(data.fingerprint).slice(0, 12)} vs ${fingerprint.slice(0, 12)}): run the same pipeline code everywhere`;
      options.log(`refused ${id}: ${reason}`);
      return { kind: "refused", reason, worker };
    }
    options.log(`took ${id}`);
    const startTime = nowIso();
    const started = performance.now();
    const timeoutMs = data.timeoutMs;
    // The thread's own timer fails the attempt at its timeout; a body that blocks its thread past it (and a
    // grace period) has its thread terminated.
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      if (pool.stop(id, `past its timeout of ${timeoutMs} ms`)) options.log(`stopped ${id}: past its timeout of ${timeoutMs} ms`);
    }, timeoutMs + STOP_GRACE_MS);
    try {
      const result = await pool.run(id, data);
      options.log(`${result.outcome === "success" ? "done" : result.outcome} ${id}`);
      return { kind: "ended", worker, result };
    } catch (error) {
      const outcome = timedOut ? "timeout" : error instanceof JobStoppedError ? "interrupted" : "failed";
      const message = timedOut
        ? `Step ${JSON.stringify(data.step.name)} timed out after ${timeoutMs} ms (attempt ${data.try}); its worker thread was stopped`
        : `Step ${JSON.stringify(data.step.name)} ${error instanceof JobStoppedError ? "was stopped" : "failed"} on worker ${worker}: ${errorMessage(error)}`;
      options.log(`${outcome} ${id}`);
      return {
        kind: "ended", worker,
        result: {
          outcome, outputs: {}, rowCounts: {}, checks: [],
          error: { name: timedOut ? "StepTimeoutError" : "RemoteStepError", code: timedOut ? "STEP_TIMEOUT" : "STEP_FAILED", message },
          timings: { startTime, endTime: nowIso(), durationMs: performance.now() - started },
        },
      };
    } finally {
      clearTimeout(timer);
    }
  };
  const processor = (job: Job<StepJob, StepJobResult>): Promise<StepJobResult> => {
    const id = job.id ?? "?";
    const already = running.get(id);
    if (already !== undefined) {
      options.log(`joined ${id}: already running here`);
      return already;
    }
    const attempt = execute(id, job.data).finally(() => {
      running.delete(id);
      trimmer();
    });
    running.set(id, attempt);
    return attempt;
  };
  const { Worker } = await import("bullmq");
  const leaseMs = options.leaseMs ?? 30_000;
  const bull: BullWorker<StepJob, StepJobResult> = new Worker(queueName, processor, {
    connection, concurrency: pool.threads, lockDuration: leaseMs, stalledInterval: leaseMs, maxStalledCount: 1, autorun: false,
  });
  bull.on("error", (error) => options.log(`queue error: ${errorMessage(error)}`));
  await subscriber.subscribe(cancelChannelOf(queueName));
  const cancelled = (jobId: string): void => {
    if (pool.stop(jobId, "cancelled by its coordinator")) options.log(`cancelled ${jobId}`);
  };
  subscriber.on("message", (_channel: string, jobId: string) => cancelled(jobId));
  // A cancellation message missed (the subscriber was reconnecting) is found by its mark in Redis.
  const checkMarks = setInterval(() => {
    const ids = [...running.keys()].filter((id) => pool.running(id));
    if (ids.length === 0) return;
    connection.mget(ids.map((id) => cancelKeyOf(queueName, id))).then((marks) => {
      marks.forEach((mark, i) => mark !== null && cancelled(ids[i] as string));
    }, () => undefined);
  }, CANCEL_CHECK_MS);
  checkMarks.unref();
  void bull.run();
  await bull.waitUntilReady();
  options.log(`worker ${worker} ready: pipeline ${pipeline.name} (${fingerprint.slice(0, 12)}), queue ${queueName} on ${redactUrl(options.queue)}, store ${options.store}, ${pool.threads} thread(s)`);
  return {
    queueName, fingerprint,
    close: async (force = false) => {
      clearInterval(checkMarks);
      await bull.close(force);
      await pool.close();
      subscriber.disconnect();
      connection.disconnect();
    },
  };
}
