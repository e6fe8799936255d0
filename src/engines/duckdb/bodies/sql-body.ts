import { duckdb as duckdbApi } from "../node-api.js";
import type { DatasetHandle } from "../../../data/dataset-handle.js";
import type { StepBody, StepSpec } from "../../../step/step-spec.js";
import { closestNames } from "../../../util/closest-names.js";
import { q } from "../../../util/quote.js";
import type { BodyContext } from "../../engine.js";
import type { Relation } from "../relation.js";
import type { StepConnection } from "../step-context.js";
import { tableInput } from "./table-input.js";
import { queryIntoOutput } from "./query-output.js";
import { sqlParamValues } from "./sql-params.js";
import type { DuckDBValue } from "@duckdb/node-api";

/** A hint for DuckDB's "table does not exist": the table is a dataset the step did not declare, or a typo of an input. */
function missingTableHint(ctx: BodyContext, message: string): string {
  const spec = ctx.spec;
  const table = /Table with name (\S+?) does not exist/.exec(message)?.[1]?.replace(/^"|"$/g, "");
  if (table === undefined) return "";
  const locals = spec.inputs.map((i) => i.local);
  if (ctx.isDataset(table)) {
    return ` ${q(table)} is a dataset of this pipeline but not an input of step ${q(spec.name)}: add it to the step's inputs.`;
  }
  const [near] = closestNames(table, locals);
  const known = locals.length > 0 ? `its inputs are ${locals.map(q).join(", ")}` : "it has no inputs";
  return ` A sql step sees only its inputs, by local name: ${known}${near ? ` (did you mean ${q(near)}?)` : ""}.`;
}

/**
 * One SELECT, without a trailing semicolon (anything else is refused before it runs), with the values of
 * the named parameters it uses (`$min`), taken from the step's params.
 */
async function singleQuery(duckdb: StepConnection, sql: string, params: StepSpec["params"], stepName: string): Promise<{ sql: string; values: Record<string, DuckDBValue> }> {
  const connection = await duckdb.connection();
  const statements = await connection.extractStatements(sql);
  if (statements.count !== 1) {
    throw new Error(`a sql step holds exactly one SELECT query; found ${statements.count} statements`);
  }
  const prepared = await statements.prepare(0);
  if (prepared.statementType !== duckdbApi().StatementType.SELECT) {
    throw new Error("a sql step holds one SELECT query (its result becomes the output); found another kind of statement");
  }
  const names = Array.from({ length: prepared.parameterCount }, (_, i) => prepared.parameterName(i + 1));
  return { sql: sql.trim().replace(/;\s*$/, ""), values: sqlParamValues(stepName, names, params) };
}

/** Runs a `sql` step on a connection of its own, where each input is a temporary view named by its local name. */
export async function runSqlBody(body: Extract<StepBody, { kind: "sql" }>, ctx: BodyContext): Promise<DatasetHandle[]> {
  const spec = ctx.spec;
  const relations = await Promise.all(spec.inputs.map(async (input) => (await tableInput(ctx, input.dataset)).valueIn("duckdb")));
  const views = spec.inputs.map((input, i) => ({ local: input.local, relation: relations[i] as Relation }));
  return queryIntoOutput(
    ctx,
    views,
    (duckdb) => singleQuery(duckdb, body.sql, spec.params, spec.name),
    (message) => missingTableHint(ctx, message),
  );
}
