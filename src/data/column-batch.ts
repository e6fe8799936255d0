import type { DataType } from "apache-arrow";

/**
 * The interchange between forms: columns of plain JS values, typed by Arrow data types. Converting A to B
 * goes A -> ColumnBatch -> B, so each form needs two conversions instead of one per other form, and an
 * Arrow Table is built only when a step asks for one.
 *
 * Value conventions: integers of 64 bits as bigint, other numbers as number, dates and timestamps as Date,
 * lists as arrays, structs as objects, missing as null.
 */
export interface ColumnBatch {
  readonly names: readonly string[];
  readonly types: readonly DataType[];
  readonly columns: readonly (readonly unknown[])[];
  readonly rowCount: number;
}
