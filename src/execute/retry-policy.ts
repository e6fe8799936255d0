// The retry policy is part of a step's definition (src/step/retry-policy.ts); this module keeps the names where they were.
export { computeDelay, resolveRetryPolicy, shouldRetry, validateRetryOptions, DEFAULT_RETRY_POLICY } from "../step/retry-policy.js";
export type { RetryOptions, RetryPolicy } from "../step/retry-policy.js";
