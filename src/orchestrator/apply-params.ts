import type { StepSpec } from "../step/step-spec.js";
import { nearNames } from "../util/near-names.js";
import { isPlainObject } from "../util/plain-object.js";
import { assertNever } from "../util/assert-never.js";
import { q } from "../util/quote.js";
import { ParamsError } from "./params-error.js";

/** Run-wide params and per-step overrides, as options give them. */
export interface RunParams {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly stepParams?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * Each step with its effective params: the run-wide `params` it can use (see {@link sharedParamsFor}), then
 * the step's own `params`, then its entry of `stepParams` (the more specific wins). They are what `ctx.params` holds, what a SQL step's `$name`
 * parameters take, and part of the cache key.
 * @throws ParamsError when `params` or an entry of `stepParams` is not an object, or `stepParams` names an unknown step.
 */
export function applyParams(specs: readonly StepSpec[], given: RunParams): StepSpec[] {
  const { params, stepParams } = given;
  if (params === undefined && stepParams === undefined) return [...specs];
  if (params !== undefined && !isPlainObject(params)) throw new ParamsError("params", "Invalid option `params`: expected an object of { name: value }.");
  if (stepParams !== undefined && !isPlainObject(stepParams)) {
    throw new ParamsError("stepParams", "Invalid option `stepParams`: expected an object of { stepName: { name: value } }.");
  }
  const names = specs.map((s) => s.name);
  for (const [step, values] of Object.entries(stepParams ?? {})) {
    if (!names.includes(step)) {
      const [near] = nearNames(step, names);
      throw new ParamsError(step, `Unknown step ${q(step)} in stepParams${near ? ` (did you mean ${q(near)}?)` : ""}: params can be set only for steps of the pipeline.`);
    }
    if (!isPlainObject(values)) throw new ParamsError(step, `Invalid stepParams of step ${q(step)}: expected an object of { name: value }.`);
  }
  return specs.map((spec) => {
    const own = stepParams?.[spec.name];
    const shared = sharedParamsFor(spec, params);
    if (shared === undefined && own === undefined) return spec;
    return { ...spec, params: { ...shared, ...spec.params, ...own } };
  });
}

/**
 * The run-wide params a step gets: all of them for a `run` step (its function may read any), those its
 * query names (`$min`) for a `sql` step, none for `read` and `write` steps. So a param changes the cache
 * key of the steps that can see it, and no other.
 */
function sharedParamsFor(spec: StepSpec, params: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  if (params === undefined) return undefined;
  switch (spec.body.kind) {
    case "run":
      return { ...params };
    case "sql": {
      const used = new Set([...spec.body.sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
      const picked = Object.entries(params).filter(([name]) => used.has(name));
      return picked.length === 0 ? undefined : Object.fromEntries(picked);
    }
    case "read":
    case "write":
      return undefined;
    default:
      return assertNever(spec.body, "step body");
  }
}
