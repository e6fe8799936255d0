import { quotedIdentifier, quotedString } from "./node-api.js";
import { checkColumns, type Check } from "../../step/check.js";
import { assertNever } from "../../util/assert-never.js";

function literal(value: string | number | boolean): string {
  if (typeof value === "string") return quotedString(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

/**
 * The aggregate counting the rows that break a check, over the checked table, or undefined for checks
 * that need a query of their own (`unique`) or none (`row_count`, judged from the total).
 */
export function failingAggregateSql(check: Check): string | undefined {
  switch (check.kind) {
    case "not_null":
      return `count(*) FILTER (WHERE ${quotedIdentifier(check.column)} IS NULL)`;
    case "accepted_values": {
      const column = quotedIdentifier(check.column);
      return `count(*) FILTER (WHERE ${column} IS NOT NULL AND ${column} NOT IN (${check.values.map(literal).join(", ")}))`;
    }
    case "expression":
      return `count(*) FILTER (WHERE (${check.expression}) IS NOT TRUE)`;
    case "row_count":
    case "unique":
      return undefined;
    default:
      return assertNever(check, "check");
  }
}

/** Rows whose (non-null) key appears more than once: `unique`'s failing rows. Null keys are not_null's concern. */
export function duplicateRowsSql(columns: readonly string[], ref: string): string {
  const cols = columns.map(quotedIdentifier);
  return `SELECT coalesce(sum(n), 0) AS failing FROM (SELECT count(*) AS n FROM ${ref} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(" AND ")} GROUP BY ${cols.join(", ")} HAVING count(*) > 1)`;
}
export { checkColumns } from "../../step/check.js";
