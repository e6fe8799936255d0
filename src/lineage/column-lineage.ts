/** The DIRECT transformation subtypes, weakest first (rule 6 keeps the strongest). */
export const DIRECT_SUBTYPES = ["IDENTITY", "TRANSFORMATION", "AGGREGATION"] as const;
export type DirectSubtype = (typeof DIRECT_SUBTYPES)[number];

/** INDIRECT subtypes that apply to a whole output dataset (the facet's `dataset` list). */
export const DATASET_SUBTYPES = ["JOIN", "FILTER", "GROUP_BY", "SORT"] as const;
/** INDIRECT subtypes that apply to one output column. */
export const FIELD_SUBTYPES = ["WINDOW", "CONDITIONAL"] as const;
export const INDIRECT_SUBTYPES = [...DATASET_SUBTYPES, ...FIELD_SUBTYPES] as const;
export type IndirectSubtype = (typeof INDIRECT_SUBTYPES)[number];

/** One transformation of an input field, in the OpenLineage ColumnLineageDatasetFacet's shape. */
export type ColumnTransformation =
  | { readonly type: "DIRECT"; readonly subtype: DirectSubtype }
  | { readonly type: "INDIRECT"; readonly subtype: IndirectSubtype };

/** An input column (by linea dataset name) and how it reaches an output. */
export interface InputField {
  readonly dataset: string;
  readonly field: string;
  readonly transformations: readonly ColumnTransformation[];
}

/** The lineage of one output column. */
export interface FieldLineage {
  readonly inputFields: readonly InputField[];
}

/**
 * The column lineage of one output dataset of a step: per output column its input fields, and the
 * dataset-wide INDIRECT edges (JOIN, FILTER, GROUP_BY, SORT). A column without lineage (a construct linea
 * cannot follow) is missing from `fields` and named in `unresolved` with the reason.
 */
export interface DatasetColumnLineage {
  readonly fields: Readonly<Record<string, FieldLineage>>;
  readonly dataset: readonly InputField[];
  readonly unresolved?: Readonly<Record<string, string>>;
}

/** Where a step's column lineage comes from. */
export const COLUMN_LINEAGE_SOURCES = ["sql", "file", "declared", "opaque"] as const;
export type ColumnLineageSource = (typeof COLUMN_LINEAGE_SOURCES)[number];

/** A step's column lineage: per output dataset, and how it was obtained (`opaque`: a `run` step that declares none). */
export interface StepColumnLineage {
  readonly source: ColumnLineageSource;
  readonly outputs: Readonly<Record<string, DatasetColumnLineage>>;
  /** Why nothing (or not everything) could be derived, when so. */
  readonly note?: string;
}
