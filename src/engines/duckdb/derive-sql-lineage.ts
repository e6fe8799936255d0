import type { DuckDBConnection } from "@duckdb/node-api";
import type { DatasetColumnLineage, FieldLineage, StepColumnLineage } from "../../lineage/column-lineage.js";
import { isRecord, type PlanNode } from "../../lineage/plan-json.js";
import { planLineage } from "../../lineage/plan-lineage.js";
import type { SqlLineageRequest } from "../../lineage/sql-lineage-request.js";
import { errorMessage } from "../../util/error-message.js";
import { sqlString, withScratchTables } from "./scratch-database.js";

export type { SqlLineageInput, SqlLineageRequest } from "../../lineage/sql-lineage-request.js";

/** The bound, unoptimized logical plan of `sql` as DuckDB serializes it. */
export async function serializedPlan(connection: DuckDBConnection, sql: string): Promise<PlanNode> {
  const reader = await connection.runAndReadAll(
    `SELECT json_serialize_plan(${sqlString(sql)}, skip_null := true, skip_empty := true, optimize := false)`,
  );
  const text = reader.getRows()[0]?.[0];
  const document: unknown = typeof text === "string" ? JSON.parse(text) : undefined;
  if (!isRecord(document)) throw new Error("json_serialize_plan returned no document");
  if (document.error === true) {
    throw new Error(typeof document.error_message === "string" ? document.error_message : "json_serialize_plan failed");
  }
  const plans = Array.isArray(document.plans) ? document.plans : [];
  const [plan] = plans;
  if (plans.length !== 1 || !isRecord(plan) || typeof plan.type !== "string") throw new Error(`expected one plan, got ${plans.length}`);
  return plan as PlanNode;
}

/**
 * The output column names of `sql`, exactly as the step's output table has them: DuckDB's names for the
 * query, with repeated names (case-insensitively) made unique as CREATE TABLE AS does (`customer_id_1`).
 */
export async function outputNames(connection: DuckDBConnection, sql: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE ${sql}`);
  return uniqueNames(reader.getRowObjects().map((r) => String(r.column_name)));
}

/** Names made unique the way DuckDB's CREATE TABLE AS does: a repeated name gets `_1`, `_2`, ... */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 1; seen.has(unique.toLowerCase()); n++) unique = `${name}_${n}`;
    seen.add(unique.toLowerCase());
    return unique;
  });
}

function unresolvedAll(output: string, columns: readonly string[], reason: string): StepColumnLineage {
  return {
    source: "sql",
    outputs: { [output]: { fields: {}, dataset: [], unresolved: Object.fromEntries(columns.map((c) => [c, reason])) } },
    note: reason,
  };
}

/**
 * The column lineage of one `sql` step, from DuckDB's own binder: the SQL is planned (not run) on a scratch
 * database holding empty tables with the inputs' schemas, and the bound plan is walked operator by
 * operator. Whatever cannot be derived is reported as unresolved with its reason, never guessed.
 */
export async function deriveSqlLineage(request: SqlLineageRequest): Promise<StepColumnLineage> {
  const byLocal = new Map(request.inputs.map((i) => [i.local.toLowerCase(), i.dataset]));
  const sql = request.sql.trim().replace(/;\s*$/, "");
  let plan: PlanNode;
  let names: string[];
  try {
    [plan, names] = await withScratchTables(
      request.inputs.map((i) => ({ local: i.local, columns: i.columns })),
      async (connection) => [await serializedPlan(connection, sql), await outputNames(connection, sql)] as const,
    );
  } catch (error) {
    const message = errorMessage(error);
    const reason = /statement of type MULTI/.test(message)
      ? "the statement depends on the data (a PIVOT without an IN list reads the values first); list the values with IN (...) to get its lineage"
      : `DuckDB could not plan the SQL on empty inputs: ${message}`;
    return unresolvedAll(request.output, request.outputColumns ?? [], reason);
  }
  const lineage = planLineage(plan, sql, (table) => byLocal.get(table.toLowerCase()));
  const fields: Record<string, FieldLineage> = {};
  const unresolved: Record<string, string> = {};
  const width = lineage.columns.length;
  if (width !== names.length) {
    return unresolvedAll(request.output, request.outputColumns ?? names, `the plan has ${width} output columns, DESCRIBE ${names.length}`);
  }
  names.forEach((name, i) => {
    const value = lineage.columns[i];
    if (value === undefined || value.unknown !== undefined) unresolved[name] = value?.unknown ?? "no column in the plan";
    else fields[name] = { inputFields: value.edges.toInputFields() };
  });
  const notes: string[] = [];
  for (const column of request.outputColumns ?? []) {
    if (!names.includes(column)) {
      unresolved[column] = "the column depends on the data (e.g. PIVOT without IN): planning on empty inputs does not produce it";
    }
  }
  if (lineage.missingConditions.length > 0) notes.push(`dataset-wide edges missing: ${lineage.missingConditions.join("; ")}`);
  const entry: DatasetColumnLineage = {
    fields,
    dataset: lineage.datasetWide.toInputFields(),
    ...(Object.keys(unresolved).length > 0 ? { unresolved } : {}),
  };
  return { source: "sql", outputs: { [request.output]: entry }, ...(notes.length > 0 ? { note: notes.join(" ") } : {}) };
}
