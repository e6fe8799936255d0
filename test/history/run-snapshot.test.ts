import { describe, expect, it } from "vitest";
import { policyFromJson, policyToJson, runPolicyOf } from "../../src/history/run-policy.js";
import { buildRunSnapshot } from "../../src/history/run-snapshot.js";
import { runStatusOf } from "../../src/history/run-status.js";
import { toJsonSafe } from "../../src/util/json-safe.js";
import { Probe, mixedOutcomes } from "../helpers/dag-shapes.js";
import { testOrchestrator } from "../helpers/temp-dir.js";

describe("buildRunSnapshot", () => {
  it("holds the plan, dependencies, policy, every outcome, counts by status and kind, and the failure reasons", async () => {
    const probe = new Probe();
    const options = mixedOutcomes(probe);
    const result = await testOrchestrator(options).execute();
    const policy = runPolicyOf(options);
    const doc = buildRunSnapshot(result, { exitCode: 1, policy, pipelinePath: "p.ts" });
    const n = result.nodes;
    expect(doc).toEqual({
      run_id: result.runId, attempt: 1, pipeline_name: "snap", batch_run_id: result.batchRunId, status: "failed", exit_code: 1,
      start_time: result.startTime, end_time: result.endTime, duration_ms: result.durationMs, pipeline_path: "p.ts",
      policy: {
        max_workers: 4, continue_on_error: true, max_retries: 1,
        retry: { max_retries: 1, delay_ms: 2, backoff: 2, max_delay_ms: 30_000, jitter: 0, custom_retry_on: false },
        timeout_ms: null, cache: true, checkpoint: true, persist: "auto",
      },
      plan: { order: ["load", "flaky", "broken", "after"], layers: [["load"], ["flaky", "broken"], ["after"]] },
      dependencies: { load: [], flaky: ["load"], broken: ["load"], after: ["flaky", "broken"] },
      outcomes: {
        load: { status: "success", attempts: 1, duration_ms: n.load?.durationMs, rows: { load: 1 } },
        flaky: { status: "success", attempts: 2, duration_ms: n.flaky?.durationMs, rows: { flaky: 1 } },
        broken: { status: "failed", attempts: 2, duration_ms: n.broken?.durationMs, error: 'Step "broken" failed: broken failed on attempt 2' },
        after: { status: "skipped", kind: "blocked", blocked_by: "broken", status_reason: "upstream_failed", attempts: 0, duration_ms: 0 },
      },
      counts: { by_status: { success: 2, cached: 0, failed: 1, skipped: 1 }, by_kind: { blocked: 1, aborted: 0 } },
      failure_reasons: [{ step: "broken", error: 'Step "broken" failed: broken failed on attempt 2' }],
      warnings: [],
    });
    expect(toJsonSafe(doc)).toEqual(doc);
  });

  it("says interrupted for a run stopped by its signal", () => {
    expect(runStatusOf({ status: "failed", interrupted: true })).toBe("interrupted");
    expect(runStatusOf({ status: "failed", interrupted: false })).toBe("failed");
    expect(runStatusOf({ status: "success", interrupted: false })).toBe("success");
  });
});

describe("runPolicyOf", () => {
  it("fills linea's defaults, notes a retryOn function without keeping it, and survives its JSON form", () => {
    expect(runPolicyOf({})).toEqual({
      maxWorkers: 4, continueOnError: false, maxRetries: 0,
      retry: { maxRetries: 0, delayMs: 1000, backoff: 2, maxDelayMs: 30_000, jitter: 0.1, customRetryOn: false },
      timeoutMs: null, cache: true, checkpoint: true, persist: "auto",
    });
    const policy = runPolicyOf({ maxWorkers: 2, maxRetries: 3, retry: { maxRetries: 5, retryOn: () => true }, timeoutMs: 500, cache: false, checkpoint: false });
    expect(policy).toMatchObject({ maxWorkers: 2, maxRetries: 5, retry: { maxRetries: 5, customRetryOn: true }, timeoutMs: 500, cache: false, checkpoint: false });
    expect(JSON.parse(JSON.stringify(policyToJson(policy)))).toEqual(policyToJson(policy));
    expect(policyFromJson(policyToJson(policy))).toEqual(policy);
  });
});
