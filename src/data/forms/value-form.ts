import type { Column, Row } from "../dataset.js";
import type { FormAdapter } from "../form-adapter.js";
import { LineaError } from "../../errors/linea-error.js";
import { copyJson, findJsonProblem, jsonTypeOf, type JsonValue } from "../json-value.js";

/** A value dataset was asked for as a table (by `toArrow()`, `toRows()`, SQL, a write or a check). */
export class ValueNotTableError extends LineaError {
  readonly dataset: string | undefined;

  /** `where`: the step that wanted a table (`sql step "totals"`), when known. */
  constructor(dataset: string | undefined, value: JsonValue, where?: string) {
    const subject = dataset === undefined ? "a value dataset" : `value dataset ${JSON.stringify(dataset)}`;
    super(
      "VALUE_NOT_TABLE",
      `Cannot read ${subject} as a table${where ? ` in ${where}` : ""}: it holds a JSON ${jsonTypeOf(value)}, not rows. ` +
        "Read it in a run step (it arrives as it is), or have its producer return rows (an array of objects).",
    );
    this.dataset = dataset;
  }
}

/**
 * A plain JSON value (a number, a string, a boolean, null, an object that is not rows, an array that holds
 * no objects): not a table, so it has no columns and no rows, and converts to no other form.
 */
export const valueForm: FormAdapter<"value"> = {
  form: "value",
  matches: (value): value is JsonValue => findJsonProblem(value) === undefined,
  schema: async (): Promise<Column[]> => [],
  rowCount: async () => 0,
  knownRowCount: () => 0,
  sample: async (): Promise<Row[]> => [],
  toBatch: async (value) => {
    throw new ValueNotTableError(undefined, value);
  },
  fromBatch: async () => {
    throw new Error("a table never becomes a value dataset (a bug in linea)");
  },
  handOut: (value) => copyJson(value),
};
