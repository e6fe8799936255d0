import type { Column } from "../data/dataset.js";
import type { StepInput, StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import type { DatasetColumnLineage, StepColumnLineage } from "../lineage/column-lineage.js";
import { declaredColumnLineage, type DeclaredColumnLineage } from "../lineage/declared-column-lineage.js";
import type { SqlLineageRequest } from "../lineage/sql-lineage-request.js";
import { EdgeSet } from "../lineage/edge-set.js";
import { EMPTY_RECORD } from "../util/empty.js";

/** What the lineage of a step that has run needs: the schemas of its inputs (by dataset) and outputs. */
export interface StepSchemas {
  /** The DuckDB schema of an input dataset (a `sql` step's inputs are DuckDB tables). */
  readonly input: (dataset: string) => Promise<readonly Column[]>;
  readonly output: (dataset: string) => Promise<readonly Column[]>;
  /** The column lineage of a `sql` body, from the engine that runs it (DuckDB's binder); undefined: none. */
  readonly sqlLineage?: ((request: SqlLineageRequest) => Promise<StepColumnLineage>) | undefined;
}

/** Every column of `columns` copied unchanged from `from`'s same-named column. */
function identity(from: string, columns: readonly Column[]): DatasetColumnLineage {
  return {
    fields: Object.fromEntries(columns.map((c) => [c.name, { inputFields: EdgeSet.identity(from, c.name).toInputFields() }])),
    dataset: [],
  };
}

/**
 * The column lineage of a step that has just succeeded, from its declaration and schemas only (never its
 * data): derived by the sql engine (DuckDB's binder) for `sql`, identity between file and dataset for `read`/`write`
 * (the file is named by its path, as in the lineage JSON's datasets), declared or opaque for `run`.
 */
export async function stepColumnLineage(spec: StepSpec, schemas: StepSchemas): Promise<StepColumnLineage> {
  const body = spec.body;
  switch (body.kind) {
    case "sql": {
      const [output] = spec.outputs as [string];
      if (schemas.sqlLineage === undefined) return { source: "sql", outputs: {}, note: "the engine of sql steps derives no column lineage" };
      const inputs = await Promise.all(spec.inputs.map(async (i) => ({ local: i.local, dataset: i.dataset, columns: await schemas.input(i.dataset) })));
      let outputColumns: string[] | undefined;
      try {
        outputColumns = (await schemas.output(output)).map((c) => c.name);
      } catch {
        outputColumns = undefined;
      }
      return schemas.sqlLineage({ sql: body.sql, inputs, output, ...(outputColumns ? { outputColumns } : {}) });
    }
    case "read": {
      const [output] = spec.outputs as [string];
      return { source: "file", outputs: { [output]: identity(body.path, await schemas.output(output)) } };
    }
    case "write": {
      const input = spec.inputs[0] as StepInput;
      return { source: "file", outputs: { [body.path]: identity(input.dataset, await schemas.input(input.dataset)) } };
    }
    case "run":
      return runColumnLineage(spec);
  }
}

/** The lineage of every `run` step that declares none: one frozen object, shared (the run keeps one per step). */
const OPAQUE_RUN: StepColumnLineage = Object.freeze({
  source: "opaque", outputs: EMPTY_RECORD, note: "a run step is opaque to linea; declare `columnLineage` on the step to record its lineage",
});

/** A `run` step's column lineage: the one it declares, or opaque. Needs no schema. */
function runColumnLineage(spec: StepSpec): StepColumnLineage {
  const declared = (spec.source as { columnLineage?: DeclaredColumnLineage }).columnLineage;
  if (declared !== undefined) return declaredColumnLineage(declared, new Map(spec.inputs.map((i) => [i.local, i.dataset])));
  return OPAQUE_RUN;
}

/** {@link safeStepColumnLineage} of a `run` step, at once (it needs no schema). */
export function safeRunColumnLineage(spec: StepSpec): StepColumnLineage {
  try {
    return runColumnLineage(spec);
  } catch (error) {
    return { source: "opaque", outputs: {}, note: `column lineage could not be derived: ${errorMessage(error)}` };
  }
}

/** {@link stepColumnLineage}, never failing: a failure becomes a lineage that says why it is missing. */
export async function safeStepColumnLineage(spec: StepSpec, schemas: StepSchemas): Promise<StepColumnLineage> {
  try {
    return await stepColumnLineage(spec, schemas);
  } catch (error) {
    return { source: spec.body.kind === "run" ? "opaque" : spec.body.kind === "sql" ? "sql" : "file", outputs: {}, note: `column lineage could not be derived: ${errorMessage(error)}` };
  }
}
