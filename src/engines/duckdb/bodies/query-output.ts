import type { DuckDBValue } from "@duckdb/node-api";
import { DatasetHandle } from "../../../data/dataset-handle.js";
import { StepFailedError } from "../../../errors/step-errors.js";
import { errorMessage } from "../../../util/error-message.js";
import type { BodyContext } from "../../engine.js";
import { duckRunOf } from "../duck-run-of.js";
import type { Relation } from "../relation.js";
import { StepConnection, type InputView } from "../step-context.js";

/** A hint for DuckDB's refusal to open a file: it is outside the pipeline's sandbox, and how to allow it. */
function sandboxHint(message: string, ctx: BodyContext): string {
  if (!/Permission Error: Cannot access (file|directory) .* disabled by configuration/.test(message)) return "";
  return ` linea lets DuckDB open files only under the pipeline's baseDir (${ctx.baseDir}) and its allowed paths: move the file there, or allow its folder with allowPaths (CLI: --allow-path DIR).`;
}

/**
 * Runs one query on a connection of the step's own (with `views` as its inputs) and makes its result the
 * step's single output, kept inside DuckDB. A failure becomes a StepFailedError, its message followed by
 * `hint(message)`; the connection is closed either way, keeping only the output table.
 */
export async function queryIntoOutput(
  ctx: BodyContext,
  views: readonly InputView[],
  query: (duckdb: StepConnection) => Promise<string | { readonly sql: string; readonly values: Readonly<Record<string, DuckDBValue>> }>,
  hint: (message: string) => string = () => "",
): Promise<DatasetHandle[]> {
  const { spec, runtime } = ctx;
  const duckdb = new StepConnection(duckRunOf, runtime, views, ctx.signal);
  let output: Relation | undefined;
  try {
    const made = await query(duckdb);
    output = typeof made === "string" ? await duckdb.sql(made) : await duckdb.sql(made.sql, made.values);
    const [name] = spec.outputs;
    return [DatasetHandle.of(name as string, "duckdb", output, runtime, { rowCount: output.knownRowCount })];
  } catch (error) {
    const message = errorMessage(error);
    throw new StepFailedError(spec.name, message + hint(message) + sandboxHint(message, ctx), error);
  } finally {
    await duckdb.close(new Set(output ? [output] : []));
  }
}
