import { join } from "node:path";
import type { RunResult, Step } from "../../../src/index.js";
import { ROOT, tempDir, testOrchestrator } from "../../helpers/temp-dir.js";

/** The fixture every run reads, by its absolute path. */
export const ORDERS_CSV = join(ROOT, "fixtures", "orders.csv");

/** A run that succeeds: read (with checks) → sql (with checks) → run → write to a path relative to baseDir. */
export async function successfulRun(): Promise<{ result: RunResult; baseDir: string }> {
  const baseDir = tempDir("linea-ol-");
  const steps: Step[] = [
    { name: "read_orders", read: ORDERS_CSV, outputs: ["raw_orders"], checks: [{ kind: "not_null", column: "customer_id", severity: "warn" }] },
    {
      name: "completed", inputs: { orders: "raw_orders" }, outputs: ["completed"],
      sql: "SELECT * FROM orders WHERE status = 'completed' AND customer_id IS NOT NULL",
      checks: [{ kind: "not_null", column: "customer_id" }, { kind: "unique", column: ["order_id", "customer_id"] }, { kind: "row_count", min: 1 }],
    },
    { name: "tag", inputs: { rows: "completed" }, outputs: ["tagged"], run: ({ rows }: { rows: Array<Record<string, unknown>> }) => rows.map((r) => ({ ...r, big: Number(r.qty) > 3 })) },
    { name: "write_tagged", inputs: ["tagged"], write: "out/tagged.parquet" },
  ];
  // The fixture is read where it lies, outside the run's baseDir: allowed explicitly, as a user would.
  const result = await testOrchestrator({ name: "orders_pipeline", steps, baseDir, maxWorkers: 1, allowPaths: [join(ROOT, "fixtures")] }).execute();
  return { result, baseDir };
}

/** A run where one step fails and, under continue-on-error, its downstream is blocked while a sibling runs. */
export async function failedRun(): Promise<RunResult> {
  const steps: Step[] = [
    { name: "numbers", outputs: ["numbers"], run: () => [{ n: 1 }, { n: 2 }, { n: null }] },
    { name: "broken", inputs: ["numbers"], outputs: ["broken"], sql: "SELECT missing_column FROM numbers" },
    { name: "after_broken", inputs: ["broken"], outputs: ["after"], sql: "SELECT * FROM broken" },
    { name: "doubled", inputs: ["numbers"], outputs: ["doubled"], sql: "SELECT n * 2 AS n2 FROM numbers", checks: [{ kind: "not_null", column: "n2" }] },
  ];
  return testOrchestrator({ name: "failing", steps, continueOnError: true, maxWorkers: 1 }).execute();
}

/** A fail-fast run: `first` fails, so `second` (independent, later in plan order, one worker) never starts. */
export async function failFastRun(): Promise<RunResult> {
  const steps: Step[] = [
    { name: "first", outputs: ["a"], run: () => { throw new Error("boom"); } },
    { name: "second", outputs: ["b"], run: () => [{ b: 1 }] },
  ];
  return testOrchestrator({ name: "fail_fast", steps, maxWorkers: 1 }).execute();
}
