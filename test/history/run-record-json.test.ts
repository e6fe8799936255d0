import { describe, expect, it } from "vitest";
import { jsonSafeStringify } from "../../src/history/json-safe-stringify.js";
import { runPolicyOf } from "../../src/history/run-policy.js";
import { buildRunRecord } from "../../src/history/run-record.js";
import { runRecordPieces } from "../../src/history/run-record-json.js";
import { lazyLineage } from "../../src/track/build-lineage.js";
import { Probe, node } from "../helpers/dag-shapes.js";
import { testOrchestrator } from "../helpers/temp-dir.js";

describe("runRecordPieces", () => {
  it("writes in pieces what buildRunRecord's record is, for successes, retries, failures and skips, and odd numbers", async () => {
    const probe = new Probe();
    const steps = [
      { ...node(probe, "load"), layer: "ingest" },
      node(probe, "flaky", ["load"], { failTimes: 1 }),
      node(probe, "broken", ["load"], { failTimes: Infinity }),
      node(probe, "after", ["broken", "flaky"]),
      node(probe, "hi.there-2", ["load"]),
    ];
    const options = { name: "snap", steps, continueOnError: true, maxRetries: 1, retry: { delayMs: 2, jitter: 0 } };
    const orchestrator = testOrchestrator(options);
    for (const run of [1, 2]) {
      const result = await orchestrator.execute();
      const details = { exitCode: 1, policy: runPolicyOf(options), pipelinePath: run === 1 ? "pipe \"line\" \u{1F600}.ts" : undefined };
      if (run === 2) {
        // An odd duration is written as jsonSafeStringify writes it.
        const load = result.nodes.load;
        if (load !== undefined) (result.nodes as Record<string, unknown>).load = { ...load, durationMs: Number.NaN };
      }
      await result.tracker.settled();
      const lineage = result.tracker.toLineage();
      const pieces = [...runRecordPieces(result, details, lineage)];
      expect(pieces.length).toBeGreaterThan(5);
      const text = pieces.join("");
      const expected = jsonSafeStringify(buildRunRecord(result, details, lineage));
      // The summary's recorded_at is the clock's when each is made.
      const parsed = (json: string): unknown => ({ ...JSON.parse(json), summary: { ...JSON.parse(json).summary, recorded_at: "" } });
      expect(parsed(text)).toEqual(parsed(expected));
      expect(parsed([...runRecordPieces(result, details, null)].join(""))).toEqual({ ...(parsed(text) as object), lineage: null });
      // The lineage with its step records made as they are written is the same document.
      expect(parsed([...runRecordPieces(result, details, lazyLineage(result.tracker))].join(""))).toEqual(parsed(text));
    }
  });
});
