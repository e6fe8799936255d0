import { closestNames } from "../util/closest-names.js";
import { isPlainObject } from "../util/plain-object.js";
import { q, qList } from "../util/quote.js";
import { validateRetryOptions } from "./retry-policy.js";
import { validateCheck } from "./validate-check.js";
import { declaredColumnLineageProblems } from "../lineage/declared-column-lineage.js";
import { inferFormat, isFileFormat } from "./file-format.js";
import { StepDefinitionError } from "./step-definition-error.js";
import { engineNames, isEngineName } from "./engine-names.js";
import { BODY_KINDS, CACHE_POLICIES, NAME_PATTERN, PLACEMENTS, type BodyKind } from "./step.js";

/** Every field a step may have; anything else is reported, with the closest known field. */
const KNOWN_FIELDS = [
  "name", "layer", "tags", "description", "inputs", "outputs", "params", "retry", "timeoutMs", "cache",
  "codeVersion", "checks", "engine", "columns", "columnLineage", "placement", ...BODY_KINDS,
] as const;

type Fields = Record<string, unknown>;
type Rule = (step: Fields, scope: ValidationScope) => string | undefined | string[];

/** What validation knows beyond the step itself. */
export interface ValidationScope {
  /** Engines `run` steps may name besides the registered ones (an orchestrator's own, option `engines`). */
  readonly engines?: readonly string[];
}

/** True for names usable as step or dataset names (and so never a path: no separators, not `.` or `..`). */
export function isValidName(name: unknown): name is string {
  // NAME_PATTERN and not only dots, by character codes: declaring a pipeline checks every name, and this
  // loop is several times quicker than the two regular expressions on names this short.
  if (typeof name !== "string" || name.length === 0) return false;
  let dotsOnly = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) continue; // .
    dotsOnly = false;
    // a-z, A-Z, 0-9, _ and -
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return !dotsOnly;
}

/** The body fields a step has, in the canonical order. */
export function bodiesOf(step: Fields): BodyKind[] {
  const found: BodyKind[] = [];
  for (const kind of BODY_KINDS) if (step[kind] !== undefined) found.push(kind);
  return found;
}

/** True when `names` is a list of valid names, none twice (the usual case: no list of problems is built). */
function allValidAndDistinct(names: readonly unknown[]): boolean {
  for (let i = 0; i < names.length; i++) {
    if (!isValidName(names[i]) || names.indexOf(names[i]) !== i) return false;
  }
  return true;
}

/** The dataset names a step's `inputs` names, whichever of the two shapes it has. */
export function inputDatasets(inputs: unknown): string[] {
  if (Array.isArray(inputs)) return inputs.filter((v): v is string => typeof v === "string");
  if (isPlainObject(inputs)) return Object.values(inputs).filter((v): v is string => typeof v === "string");
  return [];
}

const nameRule: Rule = (step) => {
  if (typeof step.name !== "string" || step.name === "") return "it has no `name`; give it a unique name";
  if (!isValidName(step.name)) {
    return `its name ${q(step.name)} has characters other than letters, digits, "_", "." and "-"`;
  }
  return undefined;
};

const KNOWN_FIELD_SET: ReadonlySet<string> = new Set(KNOWN_FIELDS);

const unknownFieldsRule: Rule = (step) => {
  let unknown: string[] | undefined;
  for (const key of Object.keys(step)) if (!KNOWN_FIELD_SET.has(key)) (unknown ??= []).push(key);
  return unknown?.sort().map((key) => {
    const [hint] = closestNames(key, KNOWN_FIELDS);
    return `unknown field ${q(key)}` + (hint ? ` (did you mean ${q(hint)}?)` : "");
  });
};

const bodyRule: Rule = (step) => {
  const bodies = bodiesOf(step);
  if (bodies.length === 1) return undefined;
  const found = bodies.length === 0 ? "no body" : `${bodies.length} bodies (${bodies.join(", ")})`;
  return `it has ${found}; give exactly one of sql, run, read, write`;
};

const bodyShapeRule: Rule = (step) => {
  const problems: string[] = [];
  if (step.sql !== undefined && (typeof step.sql !== "string" || step.sql.trim() === "")) {
    problems.push("`sql` must be a non-empty string");
  }
  if (step.run !== undefined && typeof step.run !== "function") problems.push("`run` must be a function");
  if (step.read === undefined && step.write === undefined) return problems;
  for (const kind of ["read", "write"] as const) {
    const target = step[kind];
    if (target === undefined) continue;
    const path = typeof target === "string" ? target : isPlainObject(target) ? target.path : undefined;
    if (typeof path !== "string" || path === "") {
      problems.push(`\`${kind}\` must be a path or { path, format }`);
      continue;
    }
    const format = isPlainObject(target) ? target.format : undefined;
    if (format !== undefined && !isFileFormat(format)) {
      problems.push(`\`${kind}.format\` must be one of csv, parquet, json, got ${q(String(format))}`);
    } else if (format === undefined && inferFormat(path) === undefined) {
      problems.push(`cannot tell the format of ${q(path)} from its extension; give { path, format }`);
    }
  }
  return problems;
};

const engineRule: Rule = (step, scope) => {
  if (step.engine === undefined) return undefined;
  if (step.run === undefined) return "`engine` applies only to run steps";
  if (!isEngineName(step.engine) && !(scope.engines ?? []).includes(step.engine as string)) {
    const known = [...new Set([...engineNames(), ...(scope.engines ?? [])])];
    return `\`engine\` must be one of ${known.join(", ")}, got ${q(String(step.engine))}`;
  }
  return undefined;
};

const inputsRule: Rule = (step) => {
  const inputs = step.inputs;
  if (inputs === undefined) return undefined;
  if (Array.isArray(inputs)) {
    if (allValidAndDistinct(inputs)) return undefined;
    const bad = inputs.filter((name) => !isValidName(name));
    if (bad.length > 0) return `\`inputs\` has invalid dataset names: ${qList(bad.map(String))}`;
    const dupes = inputs.filter((name, i) => inputs.indexOf(name) !== i);
    if (dupes.length > 0) return `\`inputs\` lists ${qList([...new Set(dupes as string[])])} more than once`;
    return undefined;
  }
  if (!isPlainObject(inputs)) return "`inputs` must be { localName: datasetName } or a list of dataset names";
  const problems: string[] = [];
  for (const [local, dataset] of Object.entries(inputs)) {
    if (!isValidName(local)) problems.push(`\`inputs\` has an invalid local name ${q(local)}`);
    if (!isValidName(dataset)) problems.push(`\`inputs.${local}\` must be a dataset name, got ${JSON.stringify(dataset)}`);
  }
  return problems;
};

const outputsRule: Rule = (step) => {
  const outputs = step.outputs;
  if (outputs === undefined) return undefined;
  if (!Array.isArray(outputs)) return "`outputs` must be a list of dataset names";
  if (allValidAndDistinct(outputs)) return undefined;
  const bad = outputs.filter((name) => !isValidName(name));
  if (bad.length > 0) return `\`outputs\` has invalid dataset names: ${qList(bad.map(String))}`;
  const dupes = outputs.filter((name, i) => outputs.indexOf(name) !== i);
  if (dupes.length > 0) return `\`outputs\` lists ${qList([...new Set(dupes as string[])])} more than once`;
  return undefined;
};

const arityRule: Rule = (step) => {
  const bodies = bodiesOf(step);
  if (bodies.length !== 1 || bodies[0] === "run") return undefined;
  const [body] = bodies;
  const inputCount = inputDatasets(step.inputs).length;
  const outputCount = Array.isArray(step.outputs) ? step.outputs.length : 0;
  switch (body) {
    case "read":
      return [
        inputCount > 0 ? "a read step takes no inputs" : undefined,
        outputCount !== 1 ? `a read step has exactly one output, got ${outputCount}` : undefined,
      ].filter((p): p is string => p !== undefined);
    case "write":
      return [
        inputCount !== 1 ? `a write step has exactly one input, got ${inputCount}` : undefined,
        outputCount > 0 ? "a write step has no outputs (it writes a file)" : undefined,
      ].filter((p): p is string => p !== undefined);
    case "sql":
      return outputCount !== 1 ? `a sql step has exactly one output, got ${outputCount}` : undefined;
    default:
      return undefined;
  }
};

const selfReadRule: Rule = (step) => {
  const outputs = step.outputs;
  if (!Array.isArray(outputs) || step.inputs === undefined) return undefined;
  let own: string[] | undefined;
  for (const name of inputDatasets(step.inputs)) if (outputs.includes(name)) (own ??= []).push(name);
  return own !== undefined ? `it reads its own output ${qList([...new Set(own)])}` : undefined;
};

const optionsRule: Rule = (step) => {
  if (step.layer === undefined && step.params === undefined && step.timeoutMs === undefined && step.cache === undefined &&
    step.codeVersion === undefined && step.retry === undefined) return undefined;
  const problems: string[] = [];
  if (step.layer !== undefined && typeof step.layer !== "string") problems.push("`layer` must be a string");
  if (step.params !== undefined && !isPlainObject(step.params)) problems.push("`params` must be a plain object");
  if (step.timeoutMs !== undefined && !(typeof step.timeoutMs === "number" && step.timeoutMs > 0 && Number.isFinite(step.timeoutMs))) {
    problems.push(`\`timeoutMs\` must be a positive number of milliseconds, got ${String(step.timeoutMs)}`);
  }
  if (step.cache !== undefined && !(CACHE_POLICIES as readonly unknown[]).includes(step.cache)) {
    problems.push(`\`cache\` must be one of ${CACHE_POLICIES.join(", ")}, got ${q(String(step.cache))}`);
  }
  if (step.codeVersion !== undefined && typeof step.codeVersion !== "string") problems.push("`codeVersion` must be a string");
  if (step.retry !== undefined) problems.push(...validateRetryOptions(step.retry, "retry"));
  return problems;
};

const checksRule: Rule = (step) => {
  if (step.checks === undefined) return undefined;
  if (!Array.isArray(step.checks)) return "`checks` must be a list";
  const outputs = Array.isArray(step.outputs) ? (step.outputs as string[]) : [];
  return step.checks.flatMap((check, i) => validateCheck(check, `checks[${i}]`, outputs));
};

/** Tags: letters, digits and `_ . - : /`, as tag selectors (`tag:x`) can name them. */
export const TAG_PATTERN = /^[A-Za-z0-9_.\-:/]+$/;

const tagsRule: Rule = (step) => {
  const tags = step.tags;
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags)) return "`tags` must be a list of tags";
  const bad = tags.filter((tag) => typeof tag !== "string" || !TAG_PATTERN.test(tag));
  if (bad.length > 0) return `\`tags\` has invalid tags: ${qList(bad.map(String))} (letters, digits, "_", ".", "-", ":" and "/")`;
  const dupes = tags.filter((tag, i) => tags.indexOf(tag) !== i);
  if (dupes.length > 0) return `\`tags\` lists ${qList([...new Set(dupes as string[])])} more than once`;
  return undefined;
};

/** DuckDB type names a declared column may have (a list of one with `[]`). */
const COLUMN_TYPE = new RegExp(
  "^(BOOLEAN|BOOL|TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|" +
    "(DECIMAL|NUMERIC)(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?|VARCHAR|TEXT|STRING|DATE|TIME|TIMESTAMP|TIMESTAMPTZ|" +
    "TIMESTAMP WITH TIME ZONE|INTERVAL|BLOB|UUID|JSON)(\\[\\])*$",
  "i",
);

/** `columns`: run steps only; `{ output: { column: "TYPE" } }` for declared outputs, DuckDB type names. */
const columnsRule: Rule = (step) => {
  const columns = step.columns;
  if (columns === undefined) return undefined;
  if (step.run === undefined) return "`columns` applies only to run steps (other steps' columns come from their SQL or file)";
  if (!isPlainObject(columns)) return "`columns` must be an object of { outputName: { column: \"TYPE\" } }";
  const outputs = Array.isArray(step.outputs) ? (step.outputs as unknown[]) : [];
  const problems: string[] = [];
  for (const [output, declared] of Object.entries(columns)) {
    if (!outputs.includes(output)) {
      problems.push(`\`columns\` names ${q(output)}, which is not one of the step's outputs${outputs.length > 0 ? ` (${qList(outputs.map(String))})` : ""}`);
      continue;
    }
    if (!isPlainObject(declared) || Object.keys(declared).length === 0) {
      problems.push(`\`columns.${output}\` must be a non-empty object of { column: "TYPE" }`);
      continue;
    }
    const bad = Object.entries(declared).filter(([, type]) => typeof type !== "string" || !COLUMN_TYPE.test(type.trim()));
    if (bad.length > 0) {
      problems.push(`\`columns.${output}\` has unknown types: ${bad.map(([c, t]) => `${c}: ${JSON.stringify(t)}`).join(", ")} (DuckDB type names: BIGINT, DOUBLE, VARCHAR, BOOLEAN, DATE, TIMESTAMP, DECIMAL(18,2), JSON, ...)`);
    }
  }
  return problems;
};

const columnLineageRule: Rule = (step) => {
  if (step.columnLineage === undefined) return undefined;
  const locals = isPlainObject(step.inputs) ? Object.keys(step.inputs) : [];
  return declaredColumnLineageProblems(step.columnLineage, {
    isRun: step.run !== undefined, inputs: [...new Set([...inputDatasets(step.inputs), ...locals])],
    outputs: Array.isArray(step.outputs) ? step.outputs.filter((o): o is string => typeof o === "string") : [],
  });
};

const placementRule: Rule = (step) => {
  const placement = step.placement;
  if (placement === undefined || (PLACEMENTS as readonly unknown[]).includes(placement)) return undefined;
  return `\`placement\` must be one of ${qList([...PLACEMENTS])}, got ${JSON.stringify(placement)}`;
};

const RULES: readonly Rule[] = [
  nameRule, unknownFieldsRule, bodyRule, bodyShapeRule, engineRule, inputsRule, outputsRule, arityRule,
  selfReadRule, optionsRule, tagsRule, checksRule, columnsRule, columnLineageRule, placementRule,
];

/**
 * True for a well-formed step of the usual shape, checked in one pass: a name, a `run` function or a
 * non-empty `sql` string, list `inputs` and `outputs` of valid distinct names (a sql step has one output; no
 * step reads its own output), and at most a `description` and a string `layer` besides. Anything else (other
 * fields, file bodies, object inputs) is left to the rules, which also say what is wrong.
 */
function isPlainValidStep(step: Fields): boolean {
  let body: "run" | "sql" | undefined;
  for (const key in step) {
    switch (key) {
      case "name": case "inputs": case "outputs": case "description": break;
      case "layer": if (typeof step.layer !== "string") return false; break;
      case "run": case "sql": if (body !== undefined) return false; body = key; break;
      default: return false;
    }
  }
  if (body === "run" ? typeof step.run !== "function" : typeof step.sql !== "string" || step.sql.trim() === "") return false;
  if (!isValidName(step.name)) return false;
  const { inputs, outputs } = step;
  if (outputs !== undefined && !(Array.isArray(outputs) && allValidAndDistinct(outputs))) return false;
  if (body === "sql" && (outputs as unknown[] | undefined)?.length !== 1) return false;
  if (inputs === undefined) return true;
  if (!Array.isArray(inputs) || !allValidAndDistinct(inputs)) return false;
  if (outputs !== undefined) for (let i = 0; i < inputs.length; i++) if ((outputs as unknown[]).includes(inputs[i])) return false;
  return true;
}

/** All the problems of a step declaration, in rule order; empty when it is well formed. */
export function stepProblems(step: unknown, scope: ValidationScope = {}): string[] {
  if (!isPlainObject(step)) return ["a step must be a plain object"];
  return isPlainValidStep(step) ? [] : ruleProblems(step, scope);
}

/** The problems every rule finds (what {@link stepProblems} returns, without its one-pass check of the usual shape). */
export function ruleProblems(step: Fields, scope: ValidationScope = {}): string[] {
  // A loop, not flatMap: this runs for every step of a pipeline, and most rules find nothing.
  const problems: string[] = [];
  for (const rule of RULES) {
    const found = rule(step, scope);
    if (found === undefined) continue;
    if (typeof found === "string") problems.push(found);
    else for (const problem of found) problems.push(problem);
  }
  return problems;
}

/**
 * Throws a {@link StepDefinitionError} listing every problem of the declaration; returns quietly when
 * the step is well formed.
 */
export function validateStep(step: unknown, position?: number, scope: ValidationScope = {}): void {
  const problems = stepProblems(step, scope);
  if (problems.length === 0) return;
  const name = isPlainObject(step) && typeof step.name === "string" && step.name !== ""
    ? step.name
    : `#${position ?? "?"}`;
  throw new StepDefinitionError(name, problems);
}
