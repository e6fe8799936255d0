import type { DuckDBValue } from "@duckdb/node-api";
import { DatasetHandle } from "../../data/dataset-handle.js";
import { StepConnection, type InputView } from "../../engines/duckdb/step-context.js";
import type { Relation } from "../../engines/duckdb/relation.js";
import type { StepSpec } from "../../step/step-spec.js";
import { errorMessage } from "../../util/error-message.js";
import { StepFailedError } from "../step-errors.js";
import type { RunContext } from "../run-context.js";

/** A hint for DuckDB's refusal to open a file: it is outside the pipeline's sandbox, and how to allow it. */
function sandboxHint(message: string, rc: RunContext): string {
  if (!/Permission Error: Cannot access (file|directory) .* disabled by configuration/.test(message)) return "";
  return ` linea lets DuckDB open files only under the pipeline's baseDir (${rc.settings.baseDir}) and its allowed paths: move the file there, or allow its folder with allowPaths (CLI: --allow-path DIR).`;
}

/**
 * Runs one query on a connection of the step's own (with `views` as its inputs) and makes its result the
 * step's single output, kept inside DuckDB. A failure becomes a StepFailedError, its message followed by
 * `hint(message)`; the connection is closed either way, keeping only the output table.
 */
export async function queryIntoOutput(
  spec: StepSpec,
  rc: RunContext,
  views: readonly InputView[],
  signal: AbortSignal,
  query: (duckdb: StepConnection) => Promise<string | { readonly sql: string; readonly values: Readonly<Record<string, DuckDBValue>> }>,
  hint: (message: string) => string = () => "",
): Promise<DatasetHandle[]> {
  const duckdb = new StepConnection(() => rc.runtime.duckdb(), views, signal);
  let output: Relation | undefined;
  try {
    const made = await query(duckdb);
    output = typeof made === "string" ? await duckdb.sql(made) : await duckdb.sql(made.sql, made.values);
    const [name] = spec.outputs;
    return [DatasetHandle.of(name as string, "duckdb", output, rc.runtime, { rowCount: output.knownRowCount })];
  } catch (error) {
    const message = errorMessage(error);
    throw new StepFailedError(spec.name, message + hint(message) + sandboxHint(message, rc), error);
  } finally {
    await duckdb.close(new Set(output ? [output] : []));
  }
}
