import { errorMessage } from "../util/error-message.js";

/** Why a module could not be imported, in one line; a TypeScript module outside tsx gets the fix. */
export function importFailure(error: unknown): string {
  const first = errorMessage(error).split("\n")[0] ?? "";
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_UNKNOWN_FILE_EXTENSION" ? `${first} (run linea on its build, bin/linea.js, or under tsx, to load TypeScript modules)` : first;
}
