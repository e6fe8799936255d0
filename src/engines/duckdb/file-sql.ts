import { quotedString } from "./node-api.js";
import type { FileFormat, FileOptionValue } from "../../step/step.js";
import { assertNever } from "../../util/assert-never.js";

type Options = Readonly<Record<string, FileOptionValue>>;

const OPTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function scalar(value: string | number | boolean): string {
  if (typeof value === "string") return quotedString(value);
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`invalid file option value ${value}`);
  return String(value);
}

/** An option value as a SQL literal: a string, number or boolean, a list `[...]` or a struct `{'k': v}`. */
function literal(value: FileOptionValue): string {
  if (Array.isArray(value)) return `[${(value as (string | number | boolean)[]).map(scalar).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${quotedString(k)}: ${scalar(v)}`).join(", ")}}`;
  }
  return scalar(value as string | number | boolean);
}

function checkedNames(options: Options): Array<[string, FileOptionValue]> {
  return Object.entries(options).map(([name, value]) => {
    if (!OPTION_NAME.test(name)) throw new Error(`invalid file option name ${JSON.stringify(name)}`);
    return [name, value];
  });
}

/** The DuckDB table function reading a file: `read_csv('path', header = true)`. */
export function readFunctionSql(path: string, format: FileFormat, options: Options): string {
  const args = [quotedString(path), ...checkedNames(options).map(([n, v]) => `${n} = ${literal(v)}`)].join(", ");
  switch (format) {
    case "csv": return `read_csv(${args})`;
    case "parquet": return `read_parquet(${args})`;
    case "json": return `read_json(${args})`;
    default: return assertNever(format, "file format");
  }
}

/** The options of `COPY ... TO` for a format: CSV with a header, JSON as an array for `.json` files. */
export function copyOptionsSql(targetPath: string, format: FileFormat, options: Options): string {
  const base: Array<[string, FileOptionValue]> = [];
  switch (format) {
    case "csv": base.push(["FORMAT", "csv"], ["HEADER", true]); break;
    case "parquet": base.push(["FORMAT", "parquet"]); break;
    case "json":
      base.push(["FORMAT", "json"]);
      if (/\.json$/i.test(targetPath)) base.push(["ARRAY", true]);
      break;
    default: assertNever(format, "file format");
  }
  const given = checkedNames(options);
  const names = new Set(given.map(([n]) => n.toUpperCase()));
  const all = [...base.filter(([n]) => !names.has(n)), ...given];
  return all.map(([n, v]) => `${n} ${n === "FORMAT" ? String(v) : literal(v)}`).join(", ");
}
