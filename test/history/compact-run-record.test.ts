import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compactRunRecordPieces, expandRunRecord, type CompactRunRecord } from "../../src/history/compact-run-record.js";
import { jsonSafeStringify } from "../../src/history/json-safe-stringify.js";
import { runPolicyOf } from "../../src/history/run-policy.js";
import { buildRunRecord } from "../../src/history/run-record.js";
import type { RunFinishDetails } from "../../src/history/run-snapshot.js";
import type { Row, RunResult, Step } from "../../src/index.js";
import { RunHistory } from "../../src/history/run-history.js";
import { spoolDirOf } from "../../src/history/history-paths.js";
import { lineageWithSnapshotRefs } from "../../src/track/build-lineage.js";
import { Probe, mixedOutcomes, node } from "../helpers/dag-shapes.js";
import { ROOT, tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** A record's JSON with its summary's recorded_at (the clock's when each is made) blanked. */
function normalized(json: string): string {
  const record = JSON.parse(json) as { summary: Record<string, unknown> };
  record.summary.recorded_at = "";
  return JSON.stringify(record);
}

/** The compact record's text and what it expands to, against buildRunRecord's record of the same run, as text. */
async function expectSameRecord(result: RunResult, details: RunFinishDetails): Promise<CompactRunRecord> {
  await result.tracker.settled();
  const pieces = [...compactRunRecordPieces(result, details, lineageWithSnapshotRefs(result.tracker))];
  const compact = JSON.parse(pieces.join("")) as CompactRunRecord;
  const expected = jsonSafeStringify(buildRunRecord(result, details, result.tracker.toLineage()));
  // The same rows and documents, the same keys in the same order.
  expect(compact.format).toBe(3);
  expect(normalized(jsonSafeStringify(expandRunRecord(compact)))).toBe(normalized(expected));
  // Format 2 (of a linea of a day) held the step records as objects, in batches; format 1 its lists flat.
  const older = lineageWithSnapshotRefs(result.tracker);
  const recordsJson = jsonSafeStringify([...older.document.steps]);
  const snapshotsJson = jsonSafeStringify(older.snapshots);
  // Expanding takes (and completes) the parsed record's step records: each expansion is given its own.
  const again = (): CompactRunRecord => JSON.parse(pieces.join("")) as CompactRunRecord;
  const second = { ...again(), format: 2, steps: [JSON.parse(recordsJson)], snapshots: [JSON.parse(snapshotsJson)] } as CompactRunRecord;
  expect(normalized(jsonSafeStringify(expandRunRecord(second)))).toBe(normalized(expected));
  const first = { ...again(), format: 1, nodes: again().nodes.flat(), steps: JSON.parse(recordsJson), snapshots: JSON.parse(snapshotsJson) } as CompactRunRecord;
  expect(normalized(jsonSafeStringify(expandRunRecord(first)))).toBe(normalized(expected));
  // Without a lineage (the tracker failed), the record holds none.
  const bare = JSON.parse([...compactRunRecordPieces(result, details, null)].join("")) as CompactRunRecord;
  expect(normalized(jsonSafeStringify(expandRunRecord(bare)))).toBe(normalized(jsonSafeStringify(buildRunRecord(result, details, null))));
  return compact;
}

describe("compact run records", () => {
  it("expand to buildRunRecord's record for successes, retries, failures, skips and odd numbers", async () => {
    const probe = new Probe();
    const options = mixedOutcomes(probe, ["hi.there-2"]);
    const orchestrator = testOrchestrator(options);
    for (const run of [1, 2]) {
      const result = await orchestrator.execute();
      const details = { exitCode: 1, policy: runPolicyOf(options), pipelinePath: run === 1 ? "pipe \"line\" \u{1F600}.ts" : undefined };
      if (run === 2) {
        // An odd duration is written as jsonSafeStringify writes it.
        const load = result.nodes.load;
        if (load !== undefined) (result.nodes as Record<string, unknown>).load = { ...load, durationMs: Number.NaN };
      }
      await expectSameRecord(result, details);
    }
  });

  it("expand to the same record for SQL, read, write and value steps, checks, column lineage, redaction and a warm run", async () => {
    const dir = tempDir();
    const steps: Step[] = [
      { name: "read_orders", read: join(ROOT, "fixtures/orders.csv"), outputs: ["orders"], layer: "ingest" },
      { name: "read_customers", read: join(ROOT, "fixtures/customers.csv"), outputs: ["customers"] },
      { name: "big", inputs: { o: "orders" }, outputs: ["big"], sql: "SELECT order_id, customer_id, qty * 1.5 AS qty FROM o WHERE qty > 3", checks: [{ kind: "not_null", column: "order_id" }] },
      { name: "joined", inputs: { b: "big", c: "customers" }, outputs: ["joined"], sql: "SELECT b.*, c.segment FROM b JOIN c USING (customer_id)" },
      { name: "odd", outputs: ["odd"], sql: "SELECT 9007199254740993::BIGINT AS big, DATE '2024-02-29' AS day, 'NaN'::DOUBLE AS nan, 'ab'::BLOB AS bytes, 12.5::DECIMAL(5,2) AS dec" },
      { name: "total", inputs: ["joined"], outputs: ["total"], run: ({ joined }) => (joined as unknown[]).length, engine: "rows" },
      { name: "both", inputs: { j: "joined", t: "total" }, outputs: ["rows_out", "value_out"], engine: "rows", run: ({ j }) => ({ rows_out: (j as Row[]).slice(0, 2), value_out: { n: 1 } }) },
      { name: "write", inputs: { data: "joined" }, write: join(dir, "out/joined.parquet") },
    ];
    const options = { name: "mixed", steps, baseDir: dir, allowPaths: [join(ROOT, "fixtures")], redact: ["segment"], cache: true, cacheDir: join(dir, "cache"), checkpoint: true, checkpointDir: join(dir, "cp") };
    const orchestrator = testOrchestrator(options);
    for (const run of [1, 2]) {
      const result = await orchestrator.execute();
      expect(result.status).toBe("success");
      if (run === 2) expect(Object.values(result.nodes).every((n) => n.status === "cached")).toBe(true);
      const compact = await expectSameRecord(result, { exitCode: 0, policy: runPolicyOf(options) });
      // Each snapshot once: a dataset read by two steps is not recorded three times.
      expect(compact.snapshots.flat().length).toBeLessThan(compact.steps.flat().length * 2);
    }
  });
});

describe("a compact finish line in a spool", () => {
  it("is imported to the same history as an older linea's spool that holds the record itself", async () => {
    const dir = tempDir();
    const probe = new Probe();
    const steps = [node(probe, "a"), node(probe, "b", ["a"], { failTimes: 1 }), node(probe, "c", ["a", "b"])];
    const compactDb = join(dir, "compact", "history.duckdb");
    const result = await testOrchestrator({ name: "spooled", steps, historyDb: compactDb, maxRetries: 1, retry: { delayMs: 1, jitter: 0 } }).execute();
    expect(result.status).toBe("success");
    // The same spool with its finish line as an older linea wrote it: the record itself.
    const [file] = readdirSync(spoolDirOf(compactDb));
    const lines = readFileSync(join(spoolDirOf(compactDb), file as string), "utf8").split("\n");
    const older = lines.map((line) => {
      if (!line.startsWith('{"kind":"finish"')) return line;
      const { compact } = JSON.parse(line) as { compact: CompactRunRecord };
      return jsonSafeStringify({ kind: "finish", record: expandRunRecord(compact) });
    });
    expect(older).not.toEqual(lines);
    const olderDb = join(dir, "older", "history.duckdb");
    mkdirSync(spoolDirOf(olderDb), { recursive: true });
    writeFileSync(join(spoolDirOf(olderDb), file as string), older.join("\n"));
    const [fromCompact, fromOlder] = await Promise.all([new RunHistory(compactDb).run(result.runId), new RunHistory(olderDb).run(result.runId)]);
    expect(fromCompact?.attempts[0]?.nodes.map((n) => n.status)).toEqual(["success", "success", "success"]);
    expect(fromCompact?.attempts[0]?.lineage).toBeDefined();
    const recordedAt = (detail: typeof fromCompact): unknown => JSON.parse(JSON.stringify(detail).replace(/"recordedAt":"[^"]*"/g, '"recordedAt":""'));
    expect(recordedAt(fromCompact)).toEqual(recordedAt(fromOlder));
  });
});
