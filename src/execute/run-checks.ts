import type { DuckDBConnection } from "@duckdb/node-api";
import type { DatasetHandle } from "../data/dataset-handle.js";
import { checkColumns, duplicateRowsSql, failingAggregateSql } from "../engines/duckdb/check-sql.js";
import type { Check } from "../step/check.js";
import type { StepSpec } from "../step/step-spec.js";
import { assertNever } from "../util/assert-never.js";
import { errorMessage } from "../util/error-message.js";
import { LineaError } from "../errors/linea-error.js";
import { q } from "../util/quote.js";
import { ValueNotTableError } from "../data/forms/value-form.js";
import type { CheckResult } from "./check-result.js";

const n = (value: number): string => value.toLocaleString("en-US");

/** The name shown for a check: its own, or one derived from it: `not_null(customer_id)`. */
export function checkName(check: Check): string {
  if (check.name !== undefined) return check.name;
  switch (check.kind) {
    case "not_null":
    case "accepted_values":
    case "unique":
      return `${check.kind}(${checkColumns(check).join(", ")})`;
    case "row_count":
      return `row_count(${[check.min !== undefined ? `min=${check.min}` : "", check.max !== undefined ? `max=${check.max}` : ""].filter(Boolean).join(", ")})`;
    case "expression":
      return `expression(${check.expression})`;
    default:
      return assertNever(check, "check");
  }
}

function describe(check: Check, failing: number, total: number): string {
  const columns = checkColumns(check).join(", ");
  switch (check.kind) {
    case "not_null":
      return failing > 0 ? `${n(failing)} of ${n(total)} rows have a null ${columns}` : `no null ${columns} in ${n(total)} rows`;
    case "unique":
      return failing > 0 ? `${n(failing)} rows share a duplicated ${columns}` : `${columns} is unique over ${n(total)} rows`;
    case "accepted_values":
      return failing > 0
        ? `${n(failing)} of ${n(total)} rows have a ${columns} outside ${check.values.join(", ")}`
        : `every ${columns} of ${n(total)} rows is one of ${check.values.join(", ")}`;
    case "row_count": {
      const bounds = [check.min !== undefined ? `at least ${n(check.min)}` : "", check.max !== undefined ? `at most ${n(check.max)}` : ""].filter(Boolean).join(" and ");
      return failing > 0 ? `${n(total)} rows, expected ${bounds}` : `${n(total)} rows, ${bounds} as expected`;
    }
    case "expression":
      return failing > 0 ? `${n(failing)} of ${n(total)} rows fail ${check.expression}` : `all ${n(total)} rows satisfy ${check.expression}`;
    default:
      return assertNever(check, "check");
  }
}

function result(check: Check, dataset: string, failing: number, total: number): CheckResult {
  const rowCountBroken = check.kind === "row_count" && ((check.min !== undefined && total < check.min) || (check.max !== undefined && total > check.max));
  const failed = check.kind === "row_count" ? (rowCountBroken ? total : 0) : failing;
  return {
    name: checkName(check), kind: check.kind, severity: check.severity ?? "error", dataset, columns: checkColumns(check),
    status: failed > 0 || rowCountBroken ? "fail" : "pass", failingRows: failed, totalRows: total,
    message: describe(check, failed, total),
  };
}

function errored(check: Check, dataset: string, error: unknown): CheckResult {
  return {
    name: checkName(check), kind: check.kind, severity: check.severity ?? "error", dataset, columns: checkColumns(check),
    status: "error", failingRows: 0, totalRows: 0, message: `could not evaluate: ${errorMessage(error)}`,
  };
}

async function scalarRow(connection: DuckDBConnection, sql: string): Promise<number[]> {
  const reader = await connection.runAndReadAll(sql);
  return (reader.getRows()[0] ?? []).map((v) => Number(v));
}

/** One dataset's checks: the aggregate ones in one scan, each `unique` in a query of its own. */
async function checkDataset(connection: DuckDBConnection, dataset: string, ref: string, checks: readonly Check[]): Promise<CheckResult[]> {
  const aggregates = checks.map(failingAggregateSql);
  const select = ["count(*)", ...aggregates.filter((a): a is string => a !== undefined)].join(", ");
  let total: number;
  let failing: Array<number | undefined>;
  try {
    const [count = 0, ...rest] = await scalarRow(connection, `SELECT ${select} FROM ${ref}`);
    total = count;
    let k = 0;
    failing = aggregates.map((a) => (a === undefined ? undefined : rest[k++]));
  } catch (error) {
    if (checks.length === 1) return [errored(checks[0] as Check, dataset, error)];
    // One broken check spoils the shared scan: evaluate each on its own (one query at a time on this
    // connection) to tell which is broken.
    const results: CheckResult[] = [];
    for (const check of checks) results.push(...(await checkDataset(connection, dataset, ref, [check])));
    return results;
  }
  const results: CheckResult[] = [];
  for (const [i, check] of checks.entries()) {
    if (check.kind === "unique") {
      try {
        const [duplicates = 0] = await scalarRow(connection, duplicateRowsSql(checkColumns(check), ref));
        results.push(result(check, dataset, duplicates, total));
      } catch (error) {
        results.push(errored(check, dataset, error));
      }
    } else {
      results.push(result(check, dataset, failing[i] ?? 0, total));
    }
  }
  return results;
}

/** A step failed data checks of severity `error` (or a check could not be evaluated). */
export class CheckFailedError extends LineaError {
  readonly stepName: string;
  readonly results: readonly CheckResult[];

  constructor(stepName: string, failed: readonly CheckResult[], results: readonly CheckResult[]) {
    const details = failed.map((r) => `${r.name} on ${q(r.dataset)}: ${r.message}`).join("; ");
    super("CHECK_FAILED", `Step ${q(stepName)} failed ${failed.length} data check${failed.length === 1 ? "" : "s"}: ${details}.`);
    this.stepName = stepName;
    this.results = results;
  }
}

/**
 * Evaluates a step's data checks on its outputs in DuckDB (an output held in another form is loaded into
 * DuckDB once, and downstream SQL steps reuse it). Throws {@link CheckFailedError} when a check of severity
 * `error` fails or cannot be evaluated; returns every result otherwise (failed `warn` checks included).
 */
export async function runChecks(spec: StepSpec, outputs: readonly DatasetHandle[]): Promise<CheckResult[]> {
  if (spec.checks.length === 0) return [];
  const byDataset = new Map<string, Check[]>();
  for (const check of spec.checks) {
    const dataset = check.dataset ?? (spec.outputs[0] as string);
    byDataset.set(dataset, [...(byDataset.get(dataset) ?? []), check]);
  }
  const results: CheckResult[] = [];
  for (const [dataset, checks] of byDataset) {
    const handle = outputs.find((o) => o.name === dataset);
    if (handle === undefined) continue;
    if (handle.kind === "value") throw new ValueNotTableError(dataset, await handle.value(), `the checks of step ${q(spec.name)} (checks apply to tables)`);
    const relation = await handle.valueIn("duckdb");
    results.push(...(await relation.run.engine.withConnection((c) => checkDataset(c, dataset, relation.ref, checks))));
  }
  const failed = results.filter((r) => r.severity === "error" && r.status !== "pass");
  if (failed.length > 0) throw new CheckFailedError(spec.name, failed, results);
  return results;
}
