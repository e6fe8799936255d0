// The shapes of the OpenLineage 2-0-2 RunEvents and facets linea emits: the subset of the official
// schemas (https://openlineage.io/spec/2-0-2/OpenLineage.json and spec/facets/*.json) that linea fills.

/** A run's state transitions; linea emits START, COMPLETE and FAIL. */
export const OPENLINEAGE_EVENT_TYPES = ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"] as const;
export type OpenLineageEventType = (typeof OPENLINEAGE_EVENT_TYPES)[number];

/** What every facet carries: who produced it and the schema it follows. */
export interface OpenLineageBaseFacet {
  readonly _producer: string;
  readonly _schemaURL: string;
}

/** One column of a dataset (`schema` facet). */
export interface OpenLineageSchemaField {
  readonly name: string;
  /** DuckDB's type name. */
  readonly type: string;
  /** 1-based position in the schema. */
  readonly ordinal_position: number;
}

/** `schema` dataset facet. */
export interface OpenLineageSchemaFacet extends OpenLineageBaseFacet {
  readonly fields: readonly OpenLineageSchemaField[];
}

/** Per-column metrics of `dataQualityMetrics`; linea fills `nullCount` only, and only when a check measured it. */
export interface OpenLineageColumnMetrics {
  readonly nullCount?: number;
}

/** `dataQualityMetrics` (input facet on inputs, dataset facet on outputs). */
export interface OpenLineageDataQualityMetricsFacet extends OpenLineageBaseFacet {
  readonly rowCount?: number;
  readonly columnMetrics: Readonly<Record<string, OpenLineageColumnMetrics>>;
}

/** One data check as an OpenLineage assertion. */
export interface OpenLineageAssertion {
  /** The check kind: not_null, unique, accepted_values, row_count, expression. */
  readonly assertion: string;
  readonly success: boolean;
  /** Set when the check is on exactly one column. */
  readonly column?: string;
  readonly severity: string;
  readonly name: string;
  /** The check's result message. */
  readonly description: string;
}

/** `dataQualityAssertions` dataset facet. */
export interface OpenLineageDataQualityAssertionsFacet extends OpenLineageBaseFacet {
  readonly assertions: readonly OpenLineageAssertion[];
}

/** `outputStatistics` output facet. */
export interface OpenLineageOutputStatisticsFacet extends OpenLineageBaseFacet {
  readonly rowCount: number;
}

/** `jobType` job facet. */
export interface OpenLineageJobTypeFacet extends OpenLineageBaseFacet {
  readonly processingType: "BATCH";
  readonly integration: "LINEA";
  /** JOB for the pipeline, TASK for a step. */
  readonly jobType: "JOB" | "TASK";
}

/** `sql` job facet (sql steps). */
export interface OpenLineageSqlFacet extends OpenLineageBaseFacet {
  readonly query: string;
  readonly dialect: "duckdb";
}

/** `sourceCode` job facet (run steps). */
export interface OpenLineageSourceCodeFacet extends OpenLineageBaseFacet {
  readonly language: "javascript";
  readonly sourceCode: string;
}

/** A run and its job, as referenced from a `parent` facet. */
export interface OpenLineageRunReference {
  readonly run: { readonly runId: string };
  readonly job: { readonly namespace: string; readonly name: string };
}

/** `parent` run facet: a step's run points at the pipeline's run, which is also the root. */
export interface OpenLineageParentFacet extends OpenLineageBaseFacet, OpenLineageRunReference {
  readonly root: OpenLineageRunReference;
}

/** `processing_engine` run facet. */
export interface OpenLineageProcessingEngineFacet extends OpenLineageBaseFacet {
  readonly name: "linea";
  readonly version: string;
  readonly openlineageAdapterVersion: string;
}

/** `errorMessage` run facet (FAIL events). */
export interface OpenLineageErrorMessageFacet extends OpenLineageBaseFacet {
  readonly message: string;
  readonly programmingLanguage: "javascript";
}

export interface OpenLineageRunFacets {
  readonly parent?: OpenLineageParentFacet;
  readonly processing_engine?: OpenLineageProcessingEngineFacet;
  readonly errorMessage?: OpenLineageErrorMessageFacet;
}

export interface OpenLineageJobFacets {
  readonly jobType?: OpenLineageJobTypeFacet;
  readonly sql?: OpenLineageSqlFacet;
  readonly sourceCode?: OpenLineageSourceCodeFacet;
}

export interface OpenLineageDatasetFacets {
  readonly columnLineage?: OpenLineageColumnLineageFacet;
  readonly schema?: OpenLineageSchemaFacet;
  readonly dataQualityMetrics?: OpenLineageDataQualityMetricsFacet;
  readonly dataQualityAssertions?: OpenLineageDataQualityAssertionsFacet;
}

/** A dataset's identity: `namespace` is `linea://<pipeline>` for in-run datasets, `file` for files. */
export interface OpenLineageDatasetId {
  readonly namespace: string;
  readonly name: string;
}

export interface OpenLineageInputDataset extends OpenLineageDatasetId {
  readonly facets?: OpenLineageDatasetFacets;
  readonly inputFacets?: { readonly dataQualityMetrics?: OpenLineageDataQualityMetricsFacet };
}

export interface OpenLineageOutputDataset extends OpenLineageDatasetId {
  readonly facets?: OpenLineageDatasetFacets;
  readonly outputFacets?: { readonly outputStatistics?: OpenLineageOutputStatisticsFacet };
}

/** One OpenLineage RunEvent (spec 2-0-2). */
export interface OpenLineageRunEvent {
  readonly eventType: OpenLineageEventType;
  /** ISO 8601. */
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly run: { readonly runId: string; readonly facets: OpenLineageRunFacets };
  readonly job: { readonly namespace: string; readonly name: string; readonly facets: OpenLineageJobFacets };
  readonly inputs: readonly OpenLineageInputDataset[];
  readonly outputs: readonly OpenLineageOutputDataset[];
}

/** One input field of the ColumnLineageDatasetFacet: a column of a dataset, and how it is used. */
export interface OpenLineageColumnInputField extends OpenLineageDatasetId {
  readonly field: string;
  readonly transformations: readonly { readonly type: "DIRECT" | "INDIRECT"; readonly subtype: string }[];
}

/** The ColumnLineageDatasetFacet (1-2-0): per output field its input fields; dataset-wide INDIRECT edges in `dataset`. */
export interface OpenLineageColumnLineageFacet extends OpenLineageBaseFacet {
  readonly fields: Readonly<Record<string, { readonly inputFields: readonly OpenLineageColumnInputField[] }>>;
  readonly dataset: readonly OpenLineageColumnInputField[];
}
