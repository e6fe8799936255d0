import { quotedString } from "@duckdb/node-api";
import { resolve } from "node:path";
import type { DatasetHandle } from "../../data/dataset-handle.js";
import { copyOptionsSql, readFunctionSql } from "../../engines/duckdb/file-sql.js";
import { StepConnection } from "../../engines/duckdb/step-context.js";
import type { StepBody, StepSpec } from "../../step/step-spec.js";
import { writeAtomically } from "../../util/atomic-file.js";
import { errorMessage } from "../../util/error-message.js";
import { StepFailedError } from "../step-errors.js";
import type { RunContext } from "../run-context.js";
import { tableInput } from "./input-handle.js";
import { queryIntoOutput } from "./query-output.js";

/** Reads a CSV, Parquet or JSON file into a new table of the run with DuckDB's reader. */
export async function runReadBody(
  spec: StepSpec,
  body: Extract<StepBody, { kind: "read" }>,
  rc: RunContext,
  signal: AbortSignal,
): Promise<DatasetHandle[]> {
  const path = resolve(rc.settings.baseDir, body.path);
  return queryIntoOutput(spec, rc, [], signal, async () => `SELECT * FROM ${readFunctionSql(path, body.format, body.options)}`);
}

/**
 * Writes the step's input with DuckDB's `COPY` into a temporary file beside the target, then renames it
 * into place: a failed write leaves no partial file and the old file, if any, untouched.
 */
export async function runWriteBody(
  spec: StepSpec,
  body: Extract<StepBody, { kind: "write" }>,
  rc: RunContext,
  signal: AbortSignal,
): Promise<DatasetHandle[]> {
  const [input] = spec.inputs;
  const duckdb = new StepConnection(() => rc.runtime.duckdb(), [], signal);
  try {
    const relation = await (await tableInput(rc, spec, input?.dataset ?? "")).valueIn("duckdb");
    const target = resolve(rc.settings.baseDir, body.path);
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
