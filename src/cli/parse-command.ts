import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestNames } from "../util/closest-names.js";
import { UsageError } from "./usage-error.js";

/** Flags every command takes. */
export const COMMON_FLAGS = {
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  "history-db": { type: "string" },
  history: { type: "string" },
  "checkpoint-dir": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** " (did you mean '--max-workers'?)" for an unknown option close to a known one; "" otherwise. */
function optionHint(message: string, known: readonly string[]): string {
  const unknown = /^Unknown option '--([^'=]+)/.exec(message)?.[1];
  if (unknown === undefined) return "";
  const [hint] = closestNames(unknown, known);
  return hint === undefined ? "" : ` (did you mean '--${hint}'?)`;
}

/** Parses a command's arguments; an unknown or malformed flag is a {@link UsageError}. */
export function parseCommand<const O extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: typeof COMMON_FLAGS & O; allowPositionals: true; strict: true }>> {
  const all = { ...COMMON_FLAGS, ...options };
  try {
    return parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`linea ${command}: ${message}${optionHint(message, Object.keys(all))}`);
  }
}

/** A flag's whole-number value, checked: `--max-workers 4`. */
export function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} takes a whole number from ${min} and up, got ${JSON.stringify(value)}`);
  return n;
}

/** A flag's value as a number from 0 and up (fractions too), checked: `--persist-recompute-factor 1.5`. */
export function nonNegativeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} takes a number from 0 and up, got ${JSON.stringify(value)}`);
  return n;
}

/** Exactly `count` positional arguments, or a usage error that shows the form. */
export function positionals(command: string, given: string[], names: readonly string[], optional = 0): string[] {
  if (given.length < names.length - optional || given.length > names.length) {
    throw new UsageError(`linea ${command} takes ${names.map((n, i) => (i >= names.length - optional ? `[${n}]` : `<${n}>`)).join(" ")}, got ${given.length} argument${given.length === 1 ? "" : "s"}`);
  }
  return given;
}
