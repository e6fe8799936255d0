import { describe, expect, it } from "vitest";
import { CheckFailedError, type Row, type Step } from "../../src/index.js";
import { testOrchestrator } from "../helpers/temp-dir.js";

const rows: Row[] = [
  { id: 1, status: "completed", qty: 2, email: "a@x.org" },
  { id: 2, status: "pending", qty: 0, email: null },
  { id: 2, status: "COMPLETED", qty: 5, email: "c@x.org" },
  { id: 4, status: "completed", qty: -1, email: null },
];

function withChecks(checks: Step["checks"]): Step[] {
  return [{ name: "load", inputs: { r: "rows" }, outputs: ["loaded"], sql: "SELECT * FROM r", checks }];
}

describe("data checks", () => {
  it("pass and record what they saw", async () => {
    const result = await testOrchestrator({ steps: withChecks([
      { kind: "not_null", column: "status" },
      { kind: "row_count", min: 1, max: 10 },
      { kind: "accepted_values", column: "status", values: ["completed", "pending", "COMPLETED"] },
      { kind: "expression", expression: "qty < 100" },
    ]) }).execute({ sources: { rows } });
    expect(result.nodes.load?.status).toBe("success");
    expect(result.nodes.load?.checks?.map((c) => [c.name, c.status, c.message])).toEqual([
      ["not_null(status)", "pass", "no null status in 4 rows"],
      ["row_count(min=1, max=10)", "pass", "4 rows, at least 1 and at most 10 as expected"],
      ["accepted_values(status)", "pass", "every status of 4 rows is one of completed, pending, COMPLETED"],
      ["expression(qty < 100)", "pass", "all 4 rows satisfy qty < 100"],
    ]);
  });

  it("fail the step on a failing check of severity error, naming each failure", async () => {
    const result = await testOrchestrator({ steps: withChecks([
      { kind: "not_null", column: "email" },
      { kind: "unique", column: "id" },
      { kind: "accepted_values", column: "status", values: ["completed", "pending"] },
      { kind: "expression", expression: "qty > 0", name: "positive_qty" },
      { kind: "row_count", max: 3 },
    ]) }).execute({ sources: { rows } });
    const error = result.nodes.load?.error;
    expect(error).toBeInstanceOf(CheckFailedError);
    expect(error?.message).toBe(
      'Step "load" failed 5 data checks: not_null(email) on "loaded": 2 of 4 rows have a null email; ' +
        'unique(id) on "loaded": 2 rows share a duplicated id; ' +
        'accepted_values(status) on "loaded": 1 of 4 rows have a status outside completed, pending; ' +
        'positive_qty on "loaded": 2 of 4 rows fail qty > 0; row_count(max=3) on "loaded": 4 rows, expected at most 3.',
    );
    expect(result.nodes.load?.checks).toHaveLength(5);
    expect(result.tracker.step("load")?.checks.map((c) => c.status)).toEqual(["fail", "fail", "fail", "fail", "fail"]);
  });

  it("only record a failing check of severity warn, and warn about it", async () => {
    const result = await testOrchestrator({ steps: withChecks([{ kind: "not_null", column: "email", severity: "warn" }]) }).execute({ sources: { rows } });
    expect(result.nodes.load?.status).toBe("success");
    expect(result.nodes.load?.checks?.[0]).toMatchObject({ status: "fail", severity: "warn", failingRows: 2, totalRows: 4 });
    expect(result.warnings.map((w) => w.message)).toEqual([
      'check not_null(email) on "loaded" of step "load" failed (severity warn): 2 of 4 rows have a null email',
    ]);
  });

  it("report a check that cannot be evaluated, keeping the others", async () => {
    const result = await testOrchestrator({ steps: withChecks([
      { kind: "not_null", column: "status" },
      { kind: "not_null", column: "no_such_column" },
    ]) }).execute({ sources: { rows } });
    const checks = result.nodes.load?.checks ?? [];
    expect(checks[0]?.status).toBe("pass");
    expect(checks[1]?.status).toBe("error");
    expect(checks[1]?.message).toMatch(/^could not evaluate: Binder Error: Referenced column "no_such_column" not found/);
  });

  it("check outputs held in other forms, by loading them into DuckDB", async () => {
    const steps: Step[] = [{ name: "make", outputs: ["made"], run: () => rows, checks: [{ kind: "unique", column: ["id", "status"] }] }];
    const result = await testOrchestrator({ steps }).execute();
    expect(result.nodes.make?.checks?.[0]).toMatchObject({ status: "pass", message: "id, status is unique over 4 rows" });
  });
});
