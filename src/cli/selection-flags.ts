import type { ParseArgsConfig } from "node:util";
import type { Selection } from "../plan/select-steps.js";

/** `--select EXPR` and `--exclude EXPR`, of `linea run` and `linea plan`. */
export const SELECTION_FLAGS = {
  select: { type: "string" },
  exclude: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** The selection the flags give (an empty object when neither is given). */
export function selectionOf(values: { select?: string | undefined; exclude?: string | undefined }): Selection {
  return {
    ...(values.select !== undefined ? { select: values.select } : {}),
    ...(values.exclude !== undefined ? { exclude: values.exclude } : {}),
  };
}
