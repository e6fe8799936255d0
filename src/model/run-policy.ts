import { resolveRetryPolicy } from "../step/retry-policy.js";
import type { RetryOptions } from "../step/retry-policy.js";

/** The run options a {@link RunPolicy} records (a subset of the orchestrator's options). */
export interface RunPolicyOptions {
  readonly maxWorkers?: number;
  readonly continueOnError?: boolean;
  readonly maxRetries?: number;
  readonly retry?: RetryOptions;
  readonly timeoutMs?: number;
  readonly cache?: boolean;
  readonly checkpoint?: boolean;
  readonly persist?: "auto" | "all";
}

/** The run-wide retry policy as plain JSON: every field resolved; a `retryOn` function is only noted. */
export interface RunRetryPolicy {
  readonly maxRetries: number;
  readonly delayMs: number;
  readonly backoff: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  /** True when a `retryOn` function decides which errors are retried (false: every error is). */
  readonly customRetryOn: boolean;
}

/** The policies a run ran under, as plain JSON (kept in the run's summary row and snapshot). */
export interface RunPolicy {
  readonly maxWorkers: number;
  readonly continueOnError: boolean;
  readonly maxRetries: number;
  readonly retry: RunRetryPolicy;
  /** Each attempt's run-wide limit; null when there is none. */
  readonly timeoutMs: number | null;
  readonly cache: boolean;
  readonly checkpoint: boolean;
  /** Which outputs the cache and checkpoints keep (option `persist`). */
  readonly persist: "auto" | "all";
}

/**
 * The {@link RunPolicy} of an orchestrator's options, with linea's defaults filled in.
 *
 * @example
 * ```ts
 * runPolicyOf({ name: "p", steps, maxRetries: 2 }).retry.maxRetries; // 2
 * ```
 */
export function runPolicyOf(options: RunPolicyOptions): RunPolicy {
  const retry = resolveRetryPolicy({ maxRetries: options.maxRetries ?? 0 }, options.retry);
  return {
    maxWorkers: options.maxWorkers ?? 4,
    continueOnError: options.continueOnError ?? false,
    maxRetries: retry.maxRetries,
    retry: {
      maxRetries: retry.maxRetries, delayMs: retry.delayMs, backoff: retry.backoff, maxDelayMs: retry.maxDelayMs,
      jitter: retry.jitter, customRetryOn: retry.retryOn !== undefined,
    },
    timeoutMs: options.timeoutMs ?? null,
    cache: options.cache !== false,
    checkpoint: options.checkpoint !== false,
    persist: options.persist ?? "auto",
  };
}

/** A {@link RunPolicy} as persisted: snake_case, like linea's other JSON documents. */
export interface RunPolicyJson {
  readonly max_workers: number;
  readonly continue_on_error: boolean;
  readonly max_retries: number;
  readonly retry: {
    readonly max_retries: number;
    readonly delay_ms: number;
    readonly backoff: number;
    readonly max_delay_ms: number;
    readonly jitter: number;
    readonly custom_retry_on: boolean;
  };
  readonly timeout_ms: number | null;
  readonly cache: boolean;
  readonly checkpoint: boolean;
  /** Absent in what linea wrote before it was kept: `auto`. */
  readonly persist?: "auto" | "all";
}

/** The persisted form of a policy. */
export function policyToJson(policy: RunPolicy): RunPolicyJson {
  const r = policy.retry;
  return {
    max_workers: policy.maxWorkers, continue_on_error: policy.continueOnError, max_retries: policy.maxRetries,
    retry: {
      max_retries: r.maxRetries, delay_ms: r.delayMs, backoff: r.backoff, max_delay_ms: r.maxDelayMs, jitter: r.jitter,
      custom_retry_on: r.customRetryOn,
    },
    timeout_ms: policy.timeoutMs, cache: policy.cache, checkpoint: policy.checkpoint, persist: policy.persist,
  };
}

/** A policy read back from its persisted form. */
export function policyFromJson(json: RunPolicyJson): RunPolicy {
  const r = json.retry;
  return {
    maxWorkers: json.max_workers, continueOnError: json.continue_on_error, maxRetries: json.max_retries,
    retry: {
      maxRetries: r.max_retries, delayMs: r.delay_ms, backoff: r.backoff, maxDelayMs: r.max_delay_ms, jitter: r.jitter,
      customRetryOn: r.custom_retry_on,
    },
    timeoutMs: json.timeout_ms, cache: json.cache, checkpoint: json.checkpoint, persist: json.persist === "all" ? "all" : "auto",
  };
}
