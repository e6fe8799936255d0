import { join, resolve } from "node:path";
import { LineaError } from "../errors/linea-error.js";
import { q } from "../util/quote.js";
import { isInside } from "./sandbox.js";

/** The longest file name made from a name, leaving room for the longest suffix linea adds. */
const MAX_LENGTH = 120;

/**
 * A name (a pipeline's, which is free text) as one file name that stays in its folder: every character
 * other than letters, digits, `_`, `.` and `-` becomes `_` (so no `/`, `\`, NUL or control character
 * survives), leading dots become `_` (no `..`, no hidden file), and it is cut to 120 characters.
 *
 * @example
 * ```ts
 * safeFileName("../../../../tmp/x") // "___.._.._.._tmp_x"
 * safeFileName("customer_pipeline")  // "customer_pipeline"
 * ```
 */
export function safeFileName(name: string): string {
  const plain = name.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, (dots) => "_".repeat(dots.length)).slice(0, MAX_LENGTH);
  return plain === "" ? "_" : plain;
}

/**
 * The path of `fileName` in `dir`, checked to stay in `dir`: the one way linea turns a name into a path.
 * @throws LineaError (code `SANDBOX`) when it would leave `dir` (a name not made by {@link safeFileName}).
 */
export function fileInside(dir: string, fileName: string): string {
  const folder = resolve(dir);
  const path = join(folder, fileName);
  if (!isInside(folder, path) || path === folder) {
    throw new LineaError("SANDBOX", `File name ${q(fileName)} leaves its folder ${folder}. Names become file names only through safeFileName().`);
  }
  return path;
}
