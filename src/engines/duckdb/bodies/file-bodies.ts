import { quotedString } from "../node-api.js";
import { resolve } from "node:path";
import type { DatasetHandle } from "../../../data/dataset-handle.js";
import { StepFailedError } from "../../../errors/step-errors.js";
import type { StepBody, StepSpec } from "../../../step/step-spec.js";
import { writeAtomically } from "../../../util/atomic-file.js";
import { errorMessage } from "../../../util/error-message.js";
import type { BodyContext } from "../../engine.js";
import { duckRunOf } from "../duck-run-of.js";
import { copyOptionsSql, readFunctionSql } from "../file-sql.js";
import { StepConnection } from "../step-context.js";
import { tableInput } from "./table-input.js";
import { findRaggedCsvLine } from "./find-ragged-csv-line.js";
import { queryIntoOutput } from "./query-output.js";

/** Reads a CSV, Parquet or JSON file into a new table of the run with DuckDB's reader. */
export async function runReadBody(body: Extract<StepBody, { kind: "read" }>, ctx: BodyContext): Promise<DatasetHandle[]> {
  const path = resolve(ctx.baseDir, body.path);
  if (body.format !== "csv") {
    return queryIntoOutput(ctx, [], async () => `SELECT * FROM ${readFunctionSql(path, body.format, body.options)}`);
  }
  const given = new Set(Object.keys(body.options).map((name) => name.toLowerCase()));
  // DuckDB's sniffer skips leading lines that do not fit the dialect it found: with rows that do not match
  // the header, that silently drops the header and the rows before the last odd one. A CSV starts at its
  // first line unless the step says `skip`.
  const options = given.has("skip") ? body.options : { ...body.options, skip: 0 };
  const outputs = await queryIntoOutput(ctx, [], async () => `SELECT * FROM ${readFunctionSql(path, "csv", options)}`);
  if (!CSV_AS_ASKED.some((name) => given.has(name))) await checkCsvShape(ctx.spec, path, outputs);
  return outputs;
}

/** Options that set a CSV's columns or delimiter: then a file read as one column is what the step asked for. */
const CSV_AS_ASKED = ["delim", "sep", "delimiter", "columns", "names", "auto_detect"];
const DELIMITERS = [",", ";", "\t", "|"];

/**
 * A CSV read as one column whose name holds a delimiter is a file whose rows do not match its header
 * (DuckDB then falls back to whole lines): fails with the file and the first line that does not match.
 */
async function checkCsvShape(spec: StepSpec, path: string, outputs: readonly DatasetHandle[]): Promise<void> {
  const schema = await outputs[0]?.schema();
  if (schema === undefined || schema.length !== 1) return;
  const header = schema[0]?.name ?? "";
  const counts = DELIMITERS.map((d) => header.split(d).length - 1);
  const best = counts.indexOf(Math.max(...counts));
  if ((counts[best] ?? 0) === 0) return;
  const delimiter = DELIMITERS[best] as string;
  const ragged = await findRaggedCsvLine(path, delimiter);
  const shown = delimiter === "\t" ? "\\t" : delimiter;
  const where = ragged === undefined
    ? `its header has ${(counts[best] ?? 0) + 1} fields separated by ${JSON.stringify(shown)}, but DuckDB could not read its rows that way`
    : `line ${ragged.line} has ${ragged.fields} field${ragged.fields === 1 ? "" : "s"}, its header (line 1) has ${ragged.expected}`;
  throw new StepFailedError(
    spec.name,
    `CSV file ${path} does not match its header: ${where}. Fix the file, or say how to read it in the step's options: ` +
      "{ null_padding: true } fills missing fields with NULL, { ignore_errors: true } skips rows that do not match",
  );
}

/**
 * Writes the step's input with DuckDB's `COPY` into a temporary file beside the target, then renames it
 * into place: a failed write leaves no partial file and the old file, if any, untouched.
 */
export async function runWriteBody(body: Extract<StepBody, { kind: "write" }>, ctx: BodyContext): Promise<DatasetHandle[]> {
  const { spec, runtime } = ctx;
  const [input] = spec.inputs;
  const duckdb = new StepConnection(duckRunOf, runtime, [], ctx.signal);
  try {
    const relation = await (await tableInput(ctx, input?.dataset ?? "")).valueIn("duckdb");
    const target = resolve(ctx.baseDir, body.path);
    const connection = await duckdb.connection();
    await writeAtomically(target, async (temp) => {
      await connection.run(`COPY (SELECT * FROM ${relation.ref}) TO ${quotedString(temp)} (${copyOptionsSql(target, body.format, body.options)})`);
    });
    return [];
  } catch (error) {
    throw new StepFailedError(spec.name, errorMessage(error), error);
  } finally {
    await duckdb.close();
  }
}
