import type { DuckDBValue } from "@duckdb/node-api";
import { nearNames } from "../../../util/near-names.js";
import { q } from "../../../util/quote.js";

/** A param as DuckDB binds it: scalars as they are, Dates as ISO text, lists and objects as JSON text (cast with `::JSON`). */
export function toDuckValue(value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/**
 * The values of the named parameters a SQL step's query uses (`$min` takes `params.min`). Positional
 * parameters (`$1`) have no param to come from.
 * @throws Error naming the parameter, when the query uses one the step has no param for.
 */
export function sqlParamValues(stepName: string, names: readonly string[], params: Readonly<Record<string, unknown>>): Record<string, DuckDBValue> {
  const values: Record<string, DuckDBValue> = {};
  for (const name of new Set(names)) {
    if (/^\d+$/.test(name)) {
      throw new Error(`the SQL of step ${q(stepName)} uses the positional parameter $${name}; name it after a param instead ($min takes params.min)`);
    }
    if (!Object.prototype.hasOwnProperty.call(params, name)) {
      const [near] = nearNames(name, Object.keys(params));
      const known = Object.keys(params).length > 0 ? `its params are ${Object.keys(params).sort().join(", ")}` : "it has no params";
      throw new Error(
        `the SQL of step ${q(stepName)} uses $${name}, but ${known}${near ? ` (did you mean $${near}?)` : ""}. ` +
          `Give it a value: params: { ${name}: ... } on the step, or --param ${name}=... (--param ${stepName}.${name}=... for this step only)`,
      );
    }
    values[name] = toDuckValue(params[name]);
  }
  return values;
}
