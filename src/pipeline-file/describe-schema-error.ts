import type { ErrorObject } from "ajv";
import { closestNames } from "../util/closest-names.js";
import { q } from "../util/quote.js";

/** The parts of a JSON Schema this file reads. `errorMessage` is linea's annotation (see the pipeline schema). */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly if?: SchemaNode;
  readonly errorMessage?: string;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "a string", number: "a number", integer: "a whole number", boolean: "true or false",
  object: "an object", array: "a list", null: "null",
};

/** `a string`, `true or false`, `a string or a list`, `a string, a number or a boolean`. */
export function typeWords(types: readonly string[]): string {
  const words = types.length === 1 ? types.map((type) => TYPE_WORDS[type] ?? type) : types.map((type) => (type === "boolean" ? "a boolean" : TYPE_WORDS[type] ?? type));
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words.at(-1) ?? ""}`;
}

/** A value as a message shows it after "got": `"xlsx"`, `3`, `null`, `a list`, `an object`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return q(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "a list" : "an object";
}

function limit(error: ErrorObject): string {
  return String((error.params as { limit?: unknown }).limit);
}

/** What is wrong with a value, without the value: `must be one of csv, parquet, json`. */
function valueProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `must be ${typeWords(String(params.type).split(","))}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "pattern":
      return `must match the pattern ${String(params.pattern)}`;
    case "minimum":
      return `must be at least ${limit(error)}`;
    case "exclusiveMinimum":
      return `must be greater than ${limit(error)}`;
    case "maximum":
      return `must be at most ${limit(error)}`;
    case "exclusiveMaximum":
      return `must be less than ${limit(error)}`;
    default:
      return error.message ?? "is not valid";
  }
}

/** Keywords whose failure means "this value is of the wrong type or shape", where a schema's `errorMessage` applies. */
const SHAPE_KEYWORDS = new Set(["type", "pattern"]);

/**
 * The message for an ajv error about the value at its own place: the schema's `errorMessage` for a wrong
 * type or shape, else the failed rule in words, with the value found (`, got "xlsx"`) unless `withValue` is false.
 */
export function describeValueError(error: ErrorObject, withValue = true): string {
  const got = withValue ? `, got ${describeValue(error.data)}` : "";
  const custom = (error.parentSchema as SchemaNode | undefined)?.errorMessage;
  if (custom !== undefined && SHAPE_KEYWORDS.has(error.keyword)) return custom + got;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "minLength":
      return params.limit === 1 ? "must not be empty" : `must be at least ${limit(error)} characters long`;
    case "minItems":
      return params.limit === 1 ? "must not be empty" : `must have at least ${limit(error)} items`;
    case "uniqueItems": {
      const items = error.data as unknown[];
      return `lists ${describeValue(items[params.j as number])} more than once`;
    }
    case "false schema":
      return "is not allowed here";
    case "type": case "enum": case "const": case "pattern":
    case "minimum": case "exclusiveMinimum": case "maximum": case "exclusiveMaximum":
      return valueProblem(error) + got;
    default:
      return valueProblem(error);
  }
}

/** `unknown field "ouputs" (did you mean "outputs"?)`, from an `additionalProperties` error. */
export function unknownFieldMessage(error: ErrorObject): string {
  const field = String((error.params as { additionalProperty?: unknown }).additionalProperty);
  const known = Object.keys((error.parentSchema as SchemaNode | undefined)?.properties ?? {});
  const [hint] = closestNames(field, known);
  return `unknown field ${q(field)}` + (hint === undefined ? "" : ` (did you mean ${q(hint)}?)`);
}
