import { q } from "../util/quote.js";
import { CHECK_KINDS, CHECK_SEVERITIES } from "./check.js";

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** The problems of one check declaration, each prefixed with where it stands (`checks[2]`). */
export function validateCheck(check: unknown, where: string, outputs: readonly string[]): string[] {
  if (check === null || typeof check !== "object" || Array.isArray(check)) return [`\`${where}\` must be an object`];
  const c = check as Record<string, unknown>;
  if (!(CHECK_KINDS as readonly unknown[]).includes(c.kind)) {
    return [`\`${where}.kind\` must be one of ${CHECK_KINDS.join(", ")}, got ${q(String(c.kind))}`];
  }
  const problems: string[] = [];
  if (c.severity !== undefined && !(CHECK_SEVERITIES as readonly unknown[]).includes(c.severity)) {
    problems.push(`\`${where}.severity\` must be error or warn, got ${q(String(c.severity))}`);
  }
  if (c.dataset !== undefined && !outputs.includes(String(c.dataset))) {
    problems.push(`\`${where}.dataset\` ${q(String(c.dataset))} is not an output of the step`);
  }
  if (c.dataset === undefined && outputs.length !== 1) {
    problems.push(`\`${where}\` must name its \`dataset\`: the step has ${outputs.length} outputs`);
  }
  switch (c.kind) {
    case "not_null":
    case "accepted_values":
      if (!isNonEmptyString(c.column)) problems.push(`\`${where}.column\` must be a column name`);
      if (c.kind === "accepted_values" && !(Array.isArray(c.values) && c.values.length > 0)) {
        problems.push(`\`${where}.values\` must be a non-empty list`);
      }
      break;
    case "unique": {
      const columns = Array.isArray(c.column) ? c.column : [c.column];
      if (columns.length === 0 || !columns.every(isNonEmptyString)) {
        problems.push(`\`${where}.column\` must be a column name or a list of them`);
      }
      break;
    }
    case "row_count":
      if (c.min === undefined && c.max === undefined) problems.push(`\`${where}\` needs \`min\`, \`max\` or both`);
      for (const bound of ["min", "max"] as const) {
        const v = c[bound];
        if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= 0)) {
          problems.push(`\`${where}.${bound}\` must be a whole number from 0 and up`);
        }
      }
      break;
    case "expression":
      if (!isNonEmptyString(c.expression)) problems.push(`\`${where}.expression\` must be a SQL boolean expression`);
      break;
  }
  return problems;
}
