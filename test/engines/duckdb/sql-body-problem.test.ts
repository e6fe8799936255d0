import { describe, expect, it } from "vitest";
import { StepDefinitionError, type Step } from "../../../src/index.js";
import { testOrchestrator } from "../../helpers/temp-dir.js";

const ONE_SELECT =
  "a sql step's result is its output, so it holds one SELECT (or WITH ... SELECT, FROM ..., VALUES ...) over its inputs; " +
  "INSERT, CREATE, SET, INSTALL, LOAD, ATTACH, COPY, PRAGMA and other statements are refused.";

describe("a sql body that is not exactly one SELECT", () => {
  const refused: Array<[string, string]> = [
    ["INSERT INTO t VALUES (1)", "a statement that is not a query"],
    ["-- only a comment", "no statement (only blanks or comments)"],
    ["SELECT 1; SELECT 2", "2 statements"],
    ["SET enable_external_access = true", "a statement that is not a query"],
    ["INSTALL httpfs", "a statement that is not a query"],
    ["LOAD httpfs", "a statement that is not a query"],
    ["ATTACH 'other.db'", "a statement that is not a query"],
    ["COPY (SELECT 1) TO 'x.csv'", "a statement that is not a query"],
    ["CREATE TABLE t AS SELECT 1", "a statement that is not a query"],
    ["PRAGMA version", "a statement that is not a query"],
  ];
  for (const [sql, found] of refused) {
    it(`is refused before the run: ${sql}`, async () => {
      let ran = false;
      const steps: Step[] = [
        { name: "first", outputs: ["f"], run: () => { ran = true; return [{ a: 1 }]; } },
        { name: "bad", inputs: ["f"], outputs: ["x"], sql },
      ];
      const orchestrator = testOrchestrator({ steps });
      const error = await orchestrator.execute().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepDefinitionError);
      expect((error as Error).message).toBe(`Invalid step "bad": \`sql\` must be exactly one SELECT query, found ${found}: ${ONE_SELECT}`);
      expect(ran).toBe(false);
      await expect(orchestrator.validate()).rejects.toThrow(`found ${found}`);
    });
  }

  it("is not confused by what DuckDB accepts as one query", async () => {
    const accepted = [
      "SELECT 1 AS a;", "WITH t AS (SELECT 1 AS a) SELECT * FROM t", "FROM (SELECT 1 AS a)", "VALUES (1)",
      "(SELECT 1 AS a) UNION ALL (SELECT 2)", "SELECT 1 AS a -- a comment", "/* leading */ SELECT 1 AS a",
      "SELECT 'SET x = 1; DROP TABLE y' AS text",
    ];
    const steps: Step[] = accepted.map((sql, i) => ({ name: `q${i}`, outputs: [`x${i}`], sql }));
    const orchestrator = testOrchestrator({ steps });
    await expect(orchestrator.validate()).resolves.toMatchObject({ order: steps.map((s) => s.name) });
    expect((await orchestrator.execute()).status).toBe("success");
  });
});
