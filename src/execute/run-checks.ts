import type { DatasetHandle } from "../data/dataset-handle.js";
import type { CheckMeasure } from "../engines/engine.js";
import { checkColumns, type Check } from "../step/check.js";
import type { StepSpec } from "../step/step-spec.js";
import { assertNever } from "../util/assert-never.js";
import { errorMessage } from "../util/error-message.js";
import { LineaError } from "../errors/linea-error.js";
import { q } from "../util/quote.js";
import { ValueNotTableError } from "../data/forms/value-form.js";
import type { CheckResult } from "./check-result.js";
import type { RunRuntime } from "./run-runtime.js";
import { formatCount } from "../util/format-count.js";

const n = formatCount;

/** The name shown for a check: its own, or one derived from it: `not_null(customer_id)`. */
export function checkName(check: Check): string {
  if (check.name !== undefined) return check.name;
  switch (check.kind) {
    case "not_null":
    case "accepted_values":
    case "unique":
      return `${check.kind}(${checkColumns(check).join(", ")})`;
    case "row_count":
      return `row_count(${[check.min !== undefined ? `min=${check.min}` : "", check.max !== undefined ? `max=${check.max}` : ""].filter(Boolean).join(", ")})`;
    case "expression":
      return `expression(${check.expression})`;
    default:
      return assertNever(check, "check");
  }
}

function describe(check: Check, failing: number, total: number): string {
  const columns = checkColumns(check).join(", ");
  switch (check.kind) {
    case "not_null":
      return failing > 0 ? `${n(failing)} of ${n(total)} rows have a null ${columns}` : `no null ${columns} in ${n(total)} rows`;
    case "unique":
      return failing > 0 ? `${n(failing)} rows share a duplicated ${columns}` : `${columns} is unique over ${n(total)} rows`;
    case "accepted_values":
      return failing > 0
        ? `${n(failing)} of ${n(total)} rows have a ${columns} outside ${check.values.join(", ")}`
        : `every ${columns} of ${n(total)} rows is one of ${check.values.join(", ")}`;
    case "row_count": {
      const bounds = [check.min !== undefined ? `at least ${n(check.min)}` : "", check.max !== undefined ? `at most ${n(check.max)}` : ""].filter(Boolean).join(" and ");
      return failing > 0 ? `${n(total)} rows, expected ${bounds}` : `${n(total)} rows, ${bounds} as expected`;
    }
    case "expression":
      return failing > 0 ? `${n(failing)} of ${n(total)} rows fail ${check.expression}` : `all ${n(total)} rows satisfy ${check.expression}`;
    default:
      return assertNever(check, "check");
  }
}

function result(check: Check, dataset: string, failing: number, total: number): CheckResult {
  const rowCountBroken = check.kind === "row_count" && ((check.min !== undefined && total < check.min) || (check.max !== undefined && total > check.max));
  const failed = check.kind === "row_count" ? (rowCountBroken ? total : 0) : failing;
  return {
    name: checkName(check), kind: check.kind, severity: check.severity ?? "error", dataset, columns: checkColumns(check),
    status: failed > 0 || rowCountBroken ? "fail" : "pass", failingRows: failed, totalRows: total,
    message: describe(check, failed, total),
  };
}

function errored(check: Check, dataset: string, error: unknown): CheckResult {
  return {
    name: checkName(check), kind: check.kind, severity: check.severity ?? "error", dataset, columns: checkColumns(check),
    status: "error", failingRows: 0, totalRows: 0, message: `could not evaluate: ${errorMessage(error)}`,
  };
}

/** A check's result from what the engine measured. */
function judged(check: Check, dataset: string, measure: CheckMeasure | undefined): CheckResult {
  if (measure === undefined) return errored(check, dataset, new Error("the engine returned no result for this check"));
  return "error" in measure ? errored(check, dataset, measure.error) : result(check, dataset, measure.failing, measure.total);
}

/** A step failed data checks of severity `error` (or a check could not be evaluated). */
export class CheckFailedError extends LineaError {
  readonly stepName: string;
  readonly results: readonly CheckResult[];

  constructor(stepName: string, failed: readonly CheckResult[], results: readonly CheckResult[]) {
    const details = failed.map((r) => `${r.name} on ${q(r.dataset)}: ${r.message}`).join("; ");
    super("CHECK_FAILED", `Step ${q(stepName)} failed ${failed.length} data check${failed.length === 1 ? "" : "s"}: ${details}.`);
    this.stepName = stepName;
    this.results = results;
  }
}

/**
 * Evaluates a step's data checks on its outputs, each output's on the engine that checks its form (DuckDB for
 * the built-in forms: an output held in another form is loaded into DuckDB once, and downstream SQL steps
 * reuse it). Throws {@link CheckFailedError} when a check of severity `error` fails or cannot be evaluated;
 * returns every result otherwise (failed `warn` checks included).
 */
export async function runChecks(spec: StepSpec, outputs: readonly DatasetHandle[], runtime: RunRuntime): Promise<CheckResult[]> {
  if (spec.checks.length === 0) return [];
  const byDataset = new Map<string, Check[]>();
  for (const check of spec.checks) {
    const dataset = check.dataset ?? (spec.outputs[0] as string);
    byDataset.set(dataset, [...(byDataset.get(dataset) ?? []), check]);
  }
  const results: CheckResult[] = [];
  for (const [dataset, checks] of byDataset) {
    const handle = outputs.find((o) => o.name === dataset);
    if (handle === undefined) continue;
    if (handle.kind === "value") throw new ValueNotTableError(dataset, await handle.value(), `the checks of step ${q(spec.name)} (checks apply to tables)`);
    const measure = runtime.engines.forChecks(handle.form)?.bodies.checks;
    if (measure === undefined) throw new Error(`no registered engine runs data checks, which step ${q(spec.name)} has: register one (registerEngine, or the option engines)`);
    const measures = await measure(handle, checks, runtime);
    results.push(...checks.map((check, i) => judged(check, dataset, measures[i])));
  }
  const failed = results.filter((r) => r.severity === "error" && r.status !== "pass");
  if (failed.length > 0) throw new CheckFailedError(spec.name, failed, results);
  return results;
}
