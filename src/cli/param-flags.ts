import { ParamsError } from "../orchestrator/params-error.js";
import type { RunParams } from "../orchestrator/apply-params.js";
import { nearNames } from "../util/near-names.js";
import { q } from "../util/quote.js";
import type { EnvironmentChoice } from "../pipeline-file/choose-environment.js";

/** A param's name: usable as a SQL named parameter (`$min_qty`). */
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A `--param` value: JSON when it parses as JSON (`3`, `true`, `[1,2]`, `{"a":1}`, `"x"`), else the text itself. */
export function paramValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The params of `--param key=value` flags (repeatable): `key=value` is run-wide, `step.key=value` one
 * step's (the longest step name that prefixes the key wins, as step names may hold dots).
 * @throws ParamsError for a flag without `=`, a bad name, or an unknown step (with "did you mean").
 */
export function parseParamFlags(flags: readonly string[], stepNames: readonly string[]): Required<RunParams> {
  const params: Record<string, unknown> = {};
  const stepParams: Record<string, Record<string, unknown>> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) throw new ParamsError(flag, `Invalid --param ${q(flag)}: expected key=value or step.key=value.`);
    const key = flag.slice(0, eq);
    const value = paramValue(flag.slice(eq + 1));
    if (!key.includes(".")) {
      if (!PARAM_NAME.test(key)) throw new ParamsError(flag, `Invalid --param ${q(flag)}: a param name is letters, digits and "_", not starting with a digit.`);
      params[key] = value;
      continue;
    }
    const step = stepNames.filter((name) => key.startsWith(`${name}.`)).sort((a, b) => b.length - a.length)[0];
    if (step === undefined) {
      const prefix = key.slice(0, key.lastIndexOf("."));
      const [near] = nearNames(prefix, stepNames);
      throw new ParamsError(flag, `Unknown step ${q(prefix)} in --param ${q(flag)}${near ? ` (did you mean ${q(near)}?)` : ""}: step.key=value sets a param of one step; key=value sets it for every step.`);
    }
    const name = key.slice(step.length + 1);
    if (!PARAM_NAME.test(name)) throw new ParamsError(flag, `Invalid --param ${q(flag)}: a param name is letters, digits and "_", not starting with a digit.`);
    (stepParams[step] ??= {})[name] = value;
  }
  return { params, stepParams };
}

/** `--param key=value` (repeatable) and `--env NAME`, of `linea run` and `linea plan`. */
export const PARAM_FLAGS = {
  param: { type: "string", multiple: true },
  env: { type: "string" },
} as const;

/** The environment to load: `--env NAME`, else LINEA_ENV. */
export function envChoice(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): EnvironmentChoice | undefined {
  if (flag !== undefined) return { name: flag, from: "option" };
  const ambient = env.LINEA_ENV;
  return ambient === undefined || ambient === "" ? undefined : { name: ambient, from: "LINEA_ENV" };
}

/** The pipeline's own params with the flags' over them (flags win, key by key). */
export function mergeParams(own: RunParams, flags: Required<RunParams>): RunParams {
  const stepParams: Record<string, Record<string, unknown>> = {};
  for (const [step, values] of Object.entries(own.stepParams ?? {})) stepParams[step] = { ...values };
  for (const [step, values] of Object.entries(flags.stepParams)) stepParams[step] = { ...stepParams[step], ...values };
  const params = own.params === undefined && Object.keys(flags.params).length === 0 ? undefined : { ...own.params, ...flags.params };
  return { ...(params === undefined ? {} : { params }), ...(Object.keys(stepParams).length > 0 ? { stepParams } : {}) };
}
