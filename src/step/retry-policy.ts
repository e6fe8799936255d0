/**
 * How a step is retried. Plain data plus a pure {@link computeDelay}: the delay before attempt `n + 1`
 * is `delayMs * backoff^(n - 1)`, capped at `maxDelayMs`, then shortened by up to `jitter` of itself.
 */
export interface RetryOptions {
  /** Retries after the first attempt; 0 runs each step once. @default 0 */
  maxRetries?: number;
  /** Delay before the first retry. @default 1000 */
  delayMs?: number;
  /** Multiplier applied to the delay after each retry. @default 2 */
  backoff?: number;
  /** Upper bound of any one delay. @default 30000 */
  maxDelayMs?: number;
  /** Fraction (0 to 1) of each delay that is randomised away, so that retries of many steps spread out. @default 0.1 */
  jitter?: number;
  /** Decides whether an error is worth another attempt; by default every error is. */
  retryOn?: (error: unknown, attempt: number) => boolean;
}

/** A retry policy with every field resolved. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly delayMs: number;
  readonly backoff: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 0,
  delayMs: 1000,
  backoff: 2,
  maxDelayMs: 30_000,
  jitter: 0.1,
});

/** Merges retry options field by field: later sources win (defaults, then the run's, then the step's). */
export function resolveRetryPolicy(...sources: ReadonlyArray<RetryOptions | undefined>): RetryPolicy {
  let policy: RetryPolicy = DEFAULT_RETRY_POLICY;
  for (const source of sources) {
    if (source === undefined) continue;
    policy = {
      maxRetries: source.maxRetries ?? policy.maxRetries,
      delayMs: source.delayMs ?? policy.delayMs,
      backoff: source.backoff ?? policy.backoff,
      maxDelayMs: source.maxDelayMs ?? policy.maxDelayMs,
      jitter: source.jitter ?? policy.jitter,
      retryOn: source.retryOn ?? policy.retryOn,
    };
  }
  return policy;
}

/**
 * The delay after failed attempt `attempt` (1-based) before the next one. Pure: pass `random` to make it
 * deterministic.
 */
export function computeDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = policy.delayMs * Math.pow(policy.backoff, Math.max(0, attempt - 1));
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (1 - policy.jitter * random()));
}

/** True when another attempt should follow failed attempt `attempt`. */
export function shouldRetry(policy: RetryPolicy, error: unknown, attempt: number): boolean {
  if (attempt > policy.maxRetries) return false;
  return policy.retryOn === undefined ? true : policy.retryOn(error, attempt);
}

function isNonNegative(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** The problems of a retry options object, each prefixed with `where` (for step and run validation alike). */
export function validateRetryOptions(options: unknown, where: string): string[] {
  if (options === null || typeof options !== "object" || Array.isArray(options)) return [`\`${where}\` must be an object`];
  const o = options as Record<string, unknown>;
  const problems: string[] = [];
  if (o.maxRetries !== undefined && !(Number.isInteger(o.maxRetries) && isNonNegative(o.maxRetries))) {
    problems.push(`\`${where}.maxRetries\` must be a whole number from 0 and up, got ${String(o.maxRetries)}`);
  }
  for (const field of ["delayMs", "maxDelayMs"] as const) {
    if (o[field] !== undefined && !isNonNegative(o[field])) {
      problems.push(`\`${where}.${field}\` must be a number of milliseconds from 0 and up, got ${String(o[field])}`);
    }
  }
  if (o.backoff !== undefined && !(isNonNegative(o.backoff) && (o.backoff as number) >= 1)) {
    problems.push(`\`${where}.backoff\` must be a number from 1 and up, got ${String(o.backoff)}`);
  }
  if (o.jitter !== undefined && !(isNonNegative(o.jitter) && (o.jitter as number) <= 1)) {
    problems.push(`\`${where}.jitter\` must be a number from 0 to 1, got ${String(o.jitter)}`);
  }
  if (o.retryOn !== undefined && typeof o.retryOn !== "function") problems.push(`\`${where}.retryOn\` must be a function`);
  return problems;
}
