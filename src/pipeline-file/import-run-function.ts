import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { importUserModule } from "./import-user-module.js";
import type { RunFunction } from "../step/step.js";
import { closestNames } from "../util/closest-names.js";
import { isPlainObject } from "../util/plain-object.js";
import { q, qList } from "../util/quote.js";
import { describeValue } from "./describe-schema-error.js";
import { importFailure } from "./import-failure.js";
import type { PipelineFileRun } from "./pipeline-file.generated.js";

/** The function a `run: { module, export }` body names, or what is wrong (which field, and why). */
export type ImportedRun =
  | { readonly ok: true; readonly run: RunFunction }
  | { readonly ok: false; readonly field: "module" | "export"; readonly message: string; readonly cause?: unknown };

function missingExportHint(name: string, exports: Record<string, unknown>): string {
  const functions = Object.keys(exports).filter((key) => typeof exports[key] === "function").sort();
  const [hint] = closestNames(name, functions);
  if (hint !== undefined) return ` (did you mean ${q(hint)}?)`;
  return functions.length === 0 ? " (it exports no functions)" : ` (its function exports: ${qList(functions)})`;
}

function notAFunction(value: unknown): string {
  // A whole step exported from a TypeScript module is the likely mix-up: its `run` is the function wanted.
  if (isPlainObject(value) && typeof value.run === "function") {
    return "it is a whole step, not a function; export its run function and name that";
  }
  return `it is ${describeValue(value)}`;
}

/**
 * Imports the module a run body names (its path relative to `fileDir`, the pipeline file's folder) and
 * returns the export it names (`default` when none is given), which must be a function. TypeScript modules
 * are compiled by linea itself (see `importUserModule`), wherever they are.
 */
export async function importRunFunction(body: PipelineFileRun, fileDir: string): Promise<ImportedRun> {
  const path = resolve(fileDir, body.module);
  if (!existsSync(path)) return { ok: false, field: "module", message: `module ${body.module} not found (looked for ${path})` };
  let exports: Record<string, unknown>;
  try {
    exports = await importUserModule(path);
  } catch (error) {
    return { ok: false, field: "module", message: `module ${body.module} cannot be imported: ${importFailure(error)}`, cause: error };
  }
  const name = body.export ?? "default";
  const value = exports[name];
  if (typeof value === "function") return { ok: true, run: value as RunFunction };
  const why = value === undefined ? missingExportHint(name, exports) : `: ${notAFunction(value)}`;
  return { ok: false, field: "export", message: `module ${body.module} has no function export ${q(name)}${why}` };
}
