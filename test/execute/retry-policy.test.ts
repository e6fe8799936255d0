import { describe, expect, it } from "vitest";
import { computeDelay, DEFAULT_RETRY_POLICY, resolveRetryPolicy } from "../../src/index.js";
import { shouldRetry } from "../../src/execute/retry-policy.js";

describe("computeDelay", () => {
  const policy = resolveRetryPolicy({ delayMs: 100, backoff: 2, maxDelayMs: 1000, jitter: 0 });

  it("grows exponentially from the first retry", () => {
    expect([1, 2, 3, 4].map((a) => computeDelay(policy, a))).toEqual([100, 200, 400, 800]);
  });

  it("is capped by maxDelayMs", () => {
    expect(computeDelay(policy, 5)).toBe(1000);
    expect(computeDelay(policy, 30)).toBe(1000);
  });

  it("takes off up to `jitter` of the delay, never more", () => {
    const jittered = resolveRetryPolicy({ delayMs: 1000, backoff: 1, jitter: 0.5 });
    expect(computeDelay(jittered, 1, () => 0)).toBe(1000);
    expect(computeDelay(jittered, 1, () => 0.999999)).toBe(500);
    expect(computeDelay(jittered, 1, () => 0.5)).toBe(750);
  });

  it("is pure: the same inputs give the same delay", () => {
    const random = (): number => 0.3;
    expect(computeDelay(DEFAULT_RETRY_POLICY, 3, random)).toBe(computeDelay(DEFAULT_RETRY_POLICY, 3, random));
  });
});

describe("resolveRetryPolicy", () => {
  it("merges field by field, later sources winning", () => {
    const run = { maxRetries: 3, delayMs: 50 };
    const step = { delayMs: 5 };
    expect(resolveRetryPolicy(run, step)).toMatchObject({ maxRetries: 3, delayMs: 5, backoff: 2, maxDelayMs: 30_000, jitter: 0.1 });
  });

  it("retries until maxRetries, and only what retryOn accepts", () => {
    const policy = resolveRetryPolicy({ maxRetries: 2, retryOn: (e) => (e as Error).message !== "fatal" });
    expect(shouldRetry(policy, new Error("flaky"), 1)).toBe(true);
    expect(shouldRetry(policy, new Error("flaky"), 2)).toBe(true);
    expect(shouldRetry(policy, new Error("flaky"), 3)).toBe(false);
    expect(shouldRetry(policy, new Error("fatal"), 1)).toBe(false);
  });
});
