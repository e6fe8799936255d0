/**
 * Every error code linea raises. Codes are stable: match on `error.code`, not on messages.
 */
export const LINEA_ERROR_CODES = [
  "INVALID_STEP",
  "INVALID_OPTIONS",
  "DUPLICATE_STEP",
  "DUPLICATE_OUTPUT",
  "CYCLE",
  "MISSING_INPUT",
  "STEP_FAILED",
  "STEP_TIMEOUT",
  "STEP_OUTPUT",
  "RUN_INTERRUPTED",
  "ENGINE",
  "CHECK_FAILED",
  "CACHE",
  "CHECKPOINT",
  "PIPELINE_FILE",
  "HOOK",
  "OPENLINEAGE",
  "HISTORY",
  "SELECTION",
  "PARAMS",
  "OBJECT_STORE",
  "QUEUE",
  "REMOTE_STEP",
  "VALUE_NOT_TABLE",
  "SANDBOX",
] as const;

export type LineaErrorCode = (typeof LINEA_ERROR_CODES)[number];

/**
 * Base class of every error linea throws or records. Subclasses carry the data a caller needs to act
 * (step names, datasets, the cycle) as fields, and a wrapped error stays reachable as `cause`.
 */
export class LineaError extends Error {
  readonly code: LineaErrorCode;

  constructor(code: LineaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A value given to a public function or constructor is not of the accepted shape. */
export class InvalidOptionsError extends LineaError {
  readonly option: string;

  constructor(option: string, message: string) {
    super("INVALID_OPTIONS", message);
    this.option = option;
  }
}
