import { isPlainObject } from "../util/plain-object.js";
import { q } from "../util/quote.js";
import {
  DATASET_SUBTYPES, DIRECT_SUBTYPES, FIELD_SUBTYPES, type ColumnTransformation, type DatasetColumnLineage, type StepColumnLineage,
} from "./column-lineage.js";

/** An input field as a `run` step declares it: `dataset` is an input's dataset name or its local name. */
export interface DeclaredInputField {
  readonly dataset: string;
  readonly field: string;
  readonly transformations: readonly ColumnTransformation[];
}

/**
 * The column lineage a `run` step declares for itself, in the lineage JSON's shape: per output dataset,
 * its columns' input fields and (optionally) the dataset-wide INDIRECT edges.
 */
export type DeclaredColumnLineage = Readonly<Record<string, {
  readonly fields: Readonly<Record<string, { readonly inputFields: readonly DeclaredInputField[] }>>;
  readonly dataset?: readonly DeclaredInputField[];
}>>;

function transformationProblems(value: unknown, at: string, datasetWide: boolean): string[] {
  if (!Array.isArray(value) || value.length === 0) return [`\`${at}\` must be a non-empty list of { type, subtype }`];
  return value.flatMap((t, i) => {
    const where = `${at}[${i}]`;
    if (!isPlainObject(t)) return [`\`${where}\` must be { type, subtype }`];
    const allowed: readonly string[] = t.type === "DIRECT"
      ? (datasetWide ? [] : DIRECT_SUBTYPES)
      : t.type === "INDIRECT" ? (datasetWide ? DATASET_SUBTYPES : FIELD_SUBTYPES) : [];
    if (t.type !== "DIRECT" && t.type !== "INDIRECT") return [`\`${where}.type\` must be DIRECT or INDIRECT, got ${q(String(t.type))}`];
    if (!allowed.includes(String(t.subtype))) {
      const what = datasetWide ? "a dataset-wide edge" : "a field's edge";
      return [`\`${where}.subtype\` of ${what} of type ${t.type} must be one of ${allowed.join(", ") || "(none: dataset-wide edges are INDIRECT)"}, got ${q(String(t.subtype))}`];
    }
    return [];
  });
}

function inputFieldProblems(value: unknown, at: string, inputs: ReadonlySet<string>, datasetWide: boolean): string[] {
  if (!Array.isArray(value)) return [`\`${at}\` must be a list of { dataset, field, transformations }`];
  return value.flatMap((f, i) => {
    const where = `${at}[${i}]`;
    if (!isPlainObject(f)) return [`\`${where}\` must be { dataset, field, transformations }`];
    const problems: string[] = [];
    if (typeof f.dataset !== "string" || !inputs.has(f.dataset)) {
      problems.push(`\`${where}.dataset\` must name one of the step's inputs (${[...inputs].map(q).join(", ") || "it has none"}), got ${JSON.stringify(f.dataset)}`);
    }
    if (typeof f.field !== "string" || f.field === "") problems.push(`\`${where}.field\` must be a column name`);
    problems.push(...transformationProblems(f.transformations, `${where}.transformations`, datasetWide));
    return problems;
  });
}

/**
 * The problems of a step's `columnLineage` declaration: only on `run` steps, keyed by its outputs, each
 * input field naming one of its inputs (by dataset or local name) with valid transformations.
 */
export function declaredColumnLineageProblems(
  value: unknown,
  step: { readonly isRun: boolean; readonly inputs: readonly string[]; readonly outputs: readonly string[] },
): string[] {
  if (value === undefined) return [];
  if (!step.isRun) return ["`columnLineage` applies only to run steps (linea derives it for sql, read and write steps)"];
  if (!isPlainObject(value)) return ["`columnLineage` must be { outputDataset: { fields: { column: { inputFields } }, dataset? } }"];
  const inputs = new Set(step.inputs);
  const problems: string[] = [];
  for (const [output, entry] of Object.entries(value)) {
    const at = `columnLineage.${output}`;
    if (!step.outputs.includes(output)) {
      problems.push(`\`${at}\` names no output of the step (its outputs: ${step.outputs.map(q).join(", ") || "none"})`);
      continue;
    }
    if (!isPlainObject(entry) || !isPlainObject(entry.fields)) {
      problems.push(`\`${at}\` must be { fields: { column: { inputFields } }, dataset? }`);
      continue;
    }
    for (const [column, field] of Object.entries(entry.fields)) {
      if (!isPlainObject(field)) problems.push(`\`${at}.fields.${column}\` must be { inputFields: [...] }`);
      else problems.push(...inputFieldProblems(field.inputFields, `${at}.fields.${column}.inputFields`, inputs, false));
    }
    if (entry.dataset !== undefined) problems.push(...inputFieldProblems(entry.dataset, `${at}.dataset`, inputs, true));
  }
  return problems;
}

/** A validated declaration as a step's column lineage, with local input names turned into dataset names. */
export function declaredColumnLineage(declared: DeclaredColumnLineage, localToDataset: ReadonlyMap<string, string>): StepColumnLineage {
  const resolve = (f: DeclaredInputField) => ({
    dataset: localToDataset.get(f.dataset) ?? f.dataset, field: f.field, transformations: f.transformations.map((t) => ({ ...t })),
  });
  const outputs: Record<string, DatasetColumnLineage> = {};
  for (const [output, entry] of Object.entries(declared)) {
    outputs[output] = {
      fields: Object.fromEntries(Object.entries(entry.fields).map(([c, f]) => [c, { inputFields: f.inputFields.map(resolve) }])),
      dataset: (entry.dataset ?? []).map(resolve),
    };
  }
  return { source: "declared", outputs };
}
