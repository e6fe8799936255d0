import { PERSIST_MODES } from "../cache/persist-policy.js";
import { SANDBOX_SETTINGS } from "../engines/duckdb/confine-duckdb.js";
import { InvalidOptionsError } from "../errors/linea-error.js";
import { validateRetryOptions } from "../step/retry-policy.js";
import { closestNames } from "../util/closest-names.js";
import { isPlainObject } from "../util/plain-object.js";
import { q } from "../util/quote.js";
import type { OrchestratorOptions } from "./orchestrator-options.js";

/** Every option an Orchestrator takes; anything else is reported, with the closest known name. */
export const ORCHESTRATOR_OPTION_NAMES = [
  "name", "steps", "eventBus", "enableTracker", "maxWorkers", "continueOnError", "maxRetries", "retry", "timeoutMs",
  "cache", "cacheDir", "cacheMaxBytes", "persist", "persistSmallCells", "persistWriteNsPerCell", "persistRecomputeFactor", "checkpoint", "checkpointDir", "historyDb", "sampleRows", "redact", "baseDir",
  "sources", "duckdb", "logger", "params", "stepParams", "executor", "queue", "queueName", "store", "allowPaths",
  "engines",
] as const satisfies ReadonlyArray<keyof OrchestratorOptions>;

// Adding an option to OrchestratorOptions without listing it above is a compile error here.
type Unlisted = Exclude<keyof OrchestratorOptions, (typeof ORCHESTRATOR_OPTION_NAMES)[number]>;
const everyOptionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyOptionListed;

type Options = Record<string, unknown>;
/** One rule: the problem with one option (its name and what is wrong), or undefined. */
type Problem = { readonly option: string; readonly message: string };

/** A value as a message shows it: strings quoted, objects by kind. */
function shown(value: unknown): string {
  if (typeof value === "string") return q(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (value !== null && typeof value === "object") return "an object";
  return String(value);
}

const TYPE_RULES: Record<string, (value: unknown) => string | undefined> = {
  name: (v) => (typeof v === "string" && v.trim() !== "" ? undefined : "must be a non-empty string"),
  steps: (v) => (Array.isArray(v) ? undefined : "must be an array of steps"),
  eventBus: (v) => (v !== null && typeof v === "object" && typeof (v as { emit?: unknown }).emit === "function" ? undefined : "must be an EventBus"),
  enableTracker: boolean,
  continueOnError: boolean,
  cache: boolean,
  checkpoint: boolean,
  maxWorkers: (v) => whole(v, 1),
  maxRetries: (v) => whole(v, 0),
  sampleRows: (v) => whole(v, 0),
  timeoutMs: (v) => (typeof v === "number" && v > 0 && Number.isFinite(v) ? undefined : "must be a positive number of milliseconds"),
  cacheMaxBytes: (v) => (typeof v === "number" && v > 0 ? undefined : "must be a positive number of bytes"),
  persist: (v) => ((PERSIST_MODES as readonly unknown[]).includes(v) ? undefined : `must be one of ${PERSIST_MODES.map((m) => `"${m}"`).join(", ")}`),
  persistSmallCells: (v) => whole(v, 0),
  persistWriteNsPerCell: (v) => (typeof v === "number" && v >= 0 && Number.isFinite(v) ? undefined : "must be a number of nanoseconds from 0 and up"),
  persistRecomputeFactor: (v) => (typeof v === "number" && v >= 0 && Number.isFinite(v) ? undefined : "must be a number from 0 and up"),
  cacheDir: (v) => (path(v) === undefined || (hasMethods(v, "objects") && hasMethods(v, "index")) ? undefined : "must be a non-empty path, or { objects, index } (an ObjectStore and a CacheIndex)"),
  checkpointDir: (v) => (path(v) === undefined || hasMethods(v, "load", "write", "recordNode") ? undefined : "must be a non-empty path, or a CheckpointStore"),
  baseDir: path,
  historyDb: (v) => (v === false || (typeof v === "string" && v !== "") || hasMethods(v, "recorder", "runs", "run") ? undefined : "must be a path (or URL), a HistoryStore, or false for no history"),
  executor: (v) => (typeof v === "function" || hasMethods(v, "run") ? undefined : "must be a StepExecutor, or a function of the in-process one"),
  queue: (v) => (typeof v === "string" && /^rediss?:\/\//.test(v) ? undefined : "must be a Redis address like \"redis://127.0.0.1:6379\""),
  queueName: (v) => (typeof v === "string" && /^[A-Za-z0-9_.-]+$/.test(v) ? undefined : "must be a name of letters, digits, _ . and -"),
  store: (v) => (typeof v === "string" && v !== "" ? undefined : "must be a folder, file:///path or s3://bucket/prefix"),
  redact: (v) => (Array.isArray(v) && v.every((c) => typeof c === "string") ? undefined : "must be an array of column names"),
  sources: (v) => (isPlainObject(v) ? undefined : "must be an object of datasets by name"),
  duckdb: duckdbOptions,
  engines: (v) => (Array.isArray(v) && v.every((e) => e !== null && typeof e === "object" && typeof (e as { name?: unknown }).name === "string") ? undefined : "must be an array of engines (objects implementing Engine)"),
  allowPaths: (v) => (Array.isArray(v) && v.every((p) => typeof p === "string" && p !== "") ? undefined : "must be an array of paths (files or folders)"),
  logger: (v) => (v !== null && typeof v === "object" && typeof (v as { warn?: unknown }).warn === "function" ? undefined : "must be an object with a warn(message) method"),
};

/** True for an object that has each of `names` (as methods, or for `objects`/`index`, as objects). */
function hasMethods(v: unknown, ...names: string[]): boolean {
  if (v === null || typeof v !== "object") return false;
  return names.every((name) => {
    const member = (v as Record<string, unknown>)[name];
    return typeof member === "function" || (member !== null && typeof member === "object");
  });
}

/** DuckDB options, without the settings the sandbox owns (file access is widened with `allowPaths`). */
function duckdbOptions(v: unknown): string | undefined {
  if (!isPlainObject(v)) return "must be an object of DuckDB options";
  const config = isPlainObject(v.config) ? v.config : {};
  const owned = SANDBOX_SETTINGS.find((name) => config[name] !== undefined);
  if (owned === undefined) return undefined;
  return `must not set \`${owned}\` in \`config\`: linea confines DuckDB's file access to the pipeline's baseDir (widen it with \`allowPaths\`)`;
}

function boolean(v: unknown): string | undefined {
  return typeof v === "boolean" ? undefined : "must be true or false";
}

function whole(v: unknown, min: number): string | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= min ? undefined : `must be a whole number from ${min} and up`;
}

function path(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? undefined : "must be a non-empty path";
}

function unknownOptions(options: Options): Problem[] {
  return Object.keys(options)
    .filter((key) => !(ORCHESTRATOR_OPTION_NAMES as readonly string[]).includes(key))
    .sort()
    .map((key) => {
      const [hint] = closestNames(key, ORCHESTRATOR_OPTION_NAMES);
      return { option: key, message: `unknown option ${q(key)}` + (hint ? ` (did you mean ${q(hint)}?)` : "") };
    });
}

function wrongTypes(options: Options): Problem[] {
  const problems: Problem[] = [];
  for (const option of ORCHESTRATOR_OPTION_NAMES) {
    const value = options[option];
    if (value === undefined && option !== "name" && option !== "steps") continue;
    if (option === "retry") {
      for (const message of validateRetryOptions(value, "retry")) problems.push({ option, message });
      continue;
    }
    const why = TYPE_RULES[option]?.(value);
    if (why !== undefined) problems.push({ option, message: `\`${option}\` ${why}, got ${shown(value)}` });
  }
  return problems;
}

/**
 * Checks options the way steps are checked: every unknown option (with "did you mean") and every option of
 * the wrong type, reported at once in one {@link InvalidOptionsError} (its `option` names the first).
 */
export function validateOptions(options: OrchestratorOptions): void {
  if (!isPlainObject(options)) {
    throw new InvalidOptionsError("options", "Expected an options object: new Orchestrator({ name, steps })");
  }
  const given = options as unknown as Options;
  const problems = [...unknownOptions(given), ...wrongTypes(given)];
  if (given.queue !== undefined && given.store === undefined) {
    problems.push({ option: "store", message: "`queue` needs `store`: the object store the coordinator and the workers share (a folder, file:///path or s3://bucket/prefix)" });
  }
  const [first] = problems;
  if (first === undefined) return;
  const subject = typeof given.name === "string" && given.name.trim() !== "" ? ` of pipeline ${q(given.name)}` : "";
  throw new InvalidOptionsError(first.option, `Invalid options${subject}: ${problems.map((p) => p.message).join("; ")}.`);
}
