import type { Redis, RedisOptions } from "ioredis";
import { redactUrl } from "../history/postgres/postgres-url.js";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import { QueueError } from "./queue-error.js";

/** How long connecting to Redis may take before the queue counts as unreachable. @default 5000 */
export const REDIS_CONNECT_TIMEOUT_MS = 5000;

/** True for a `redis://` or `rediss://` address. */
export function isRedisUrl(value: string): boolean {
  return /^rediss?:\/\//i.test(value);
}

/**
 * Opens an ioredis connection for BullMQ (`maxRetriesPerRequest: null`, as BullMQ requires) after checking
 * that Redis answers: an unreachable Redis is a {@link QueueError} naming it within seconds, never a hang.
 * Once up, the connection reconnects on its own if Redis goes away.
 */
export async function openRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const display = redactUrl(url);
  if (!isRedisUrl(url)) throw new QueueError(display, `Queue ${q(display)} is not a Redis address: give redis://HOST:PORT (or rediss:// for TLS).`);
  const { Redis: IORedis } = await import("ioredis");
  const probe = new IORedis(url, { lazyConnect: true, connectTimeout: REDIS_CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new QueueError(display, `Queue ${q(display)} (Redis) is unreachable: ${errorMessage(error).replace(/\.$/, "") || "no answer"}. Is Redis running and reachable from this machine? Start it, or point --queue elsewhere.`, { cause: error });
  } finally {
    probe.disconnect();
  }
  const connection = new IORedis(url, { maxRetriesPerRequest: null, connectTimeout: REDIS_CONNECT_TIMEOUT_MS, ...options });
  connection.on("error", () => undefined); // reported where it matters: by the jobs that cannot be reached
  return connection;
}

/** The BullMQ queue of a pipeline: one per pipeline name, so workers of other pipelines never see its jobs. */
export function queueNameOf(pipelineName: string): string {
  const safe = pipelineName.replace(/[^A-Za-z0-9_.-]/g, "_");
  return `linea.${safe}`;
}

/** The Redis channel on which coordinators ask workers to cancel running jobs. */
export function cancelChannelOf(queueName: string): string {
  return `${queueName}.cancel`;
}

/**
 * The Redis key that marks a job cancelled, for workers to find even when they missed the message on
 * {@link cancelChannelOf} (a Redis message reaches only the subscribers connected at that moment).
 */
export function cancelKeyOf(queueName: string, jobId: string): string {
  return `${queueName}.cancelled:${jobId}`;
}

/** How long a cancellation mark stays in Redis: longer than any worker takes to notice it. */
export const CANCEL_MARK_SECONDS = 3600;
