import type { DuckDBConnection } from "@duckdb/node-api";
import type { DatasetHandle } from "../../data/dataset-handle.js";
import { checkColumns, type Check } from "../../step/check.js";
import type { CheckMeasure } from "../engine.js";
import { duplicateRowsSql, failingAggregateSql } from "./check-sql.js";

async function scalarRow(connection: DuckDBConnection, sql: string): Promise<number[]> {
  const reader = await connection.runAndReadAll(sql);
  return (reader.getRows()[0] ?? []).map((v) => Number(v));
}

/** One table's checks: the aggregate ones in one scan, each `unique` in a query of its own. */
async function measure(connection: DuckDBConnection, ref: string, checks: readonly Check[]): Promise<CheckMeasure[]> {
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
    if (checks.length === 1) return [{ error }];
    // One broken check spoils the shared scan: evaluate each on its own (one query at a time on this
    // connection) to tell which is broken.
    const measures: CheckMeasure[] = [];
    for (const check of checks) measures.push(...(await measure(connection, ref, [check])));
    return measures;
  }
  const measures: CheckMeasure[] = [];
  for (const [i, check] of checks.entries()) {
    if (check.kind === "unique") {
      try {
        const [duplicates = 0] = await scalarRow(connection, duplicateRowsSql(checkColumns(check), ref));
        measures.push({ failing: duplicates, total });
      } catch (error) {
        measures.push({ error });
      }
    } else {
      measures.push({ failing: failing[i] ?? 0, total });
    }
  }
  return measures;
}

/**
 * Measures data checks on a table in DuckDB (an output held in another form is loaded into DuckDB once,
 * and downstream SQL steps reuse it).
 */
export async function measureChecks(table: DatasetHandle, checks: readonly Check[]): Promise<CheckMeasure[]> {
  const relation = await table.valueIn("duckdb");
  return relation.run.engine.withConnection((c) => measure(c, relation.ref, checks));
}
