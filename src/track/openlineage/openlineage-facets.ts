import type { Column } from "../../data/dataset.js";
import type { CheckResult } from "../../execute/check-result.js";
import { LINEA_VERSION } from "../../util/version.js";
import { facetSchemaUrl, type OpenLineageFacetName } from "./openlineage-schema-urls.js";
import type {
  OpenLineageAssertion, OpenLineageBaseFacet, OpenLineageColumnMetrics, OpenLineageDataQualityAssertionsFacet,
  OpenLineageDataQualityMetricsFacet, OpenLineageErrorMessageFacet, OpenLineageJobTypeFacet, OpenLineageOutputStatisticsFacet,
  OpenLineageParentFacet, OpenLineageProcessingEngineFacet, OpenLineageRunReference, OpenLineageSchemaFacet,
  OpenLineageSourceCodeFacet, OpenLineageSqlFacet, OpenLineageColumnInputField, OpenLineageColumnLineageFacet, OpenLineageDatasetId,
} from "./openlineage-types.js";
import type { DatasetColumnLineage, InputField } from "../../lineage/column-lineage.js";

/**
 * Makes the facets linea emits, each stamped with `_producer` and its `_schemaURL`. One instance per
 * export, so every facet of an export carries the same producer.
 */
export class OpenLineageFacets {
  constructor(readonly producer: string) {}

  private base(name: OpenLineageFacetName): OpenLineageBaseFacet {
    return { _producer: this.producer, _schemaURL: facetSchemaUrl(name) };
  }

  schema(columns: readonly Column[]): OpenLineageSchemaFacet {
    const fields = columns.map((c, i) => ({ name: c.name, type: c.type, ordinal_position: i + 1 }));
    return { ...this.base("SchemaDatasetFacet"), fields };
  }

  /** The columnLineage facet of one output; `idOf` names an input dataset (a file path or a linea dataset). */
  columnLineage(lineage: DatasetColumnLineage, idOf: (dataset: string) => OpenLineageDatasetId): OpenLineageColumnLineageFacet {
    const field = (f: InputField): OpenLineageColumnInputField => ({
      ...idOf(f.dataset), field: f.field, transformations: f.transformations.map((t) => ({ type: t.type, subtype: t.subtype })),
    });
    return {
      ...this.base("ColumnLineageDatasetFacet"),
      fields: Object.fromEntries(Object.entries(lineage.fields).map(([name, f]) => [name, { inputFields: f.inputFields.map(field) }])),
      dataset: lineage.dataset.map(field),
    };
  }

  outputStatistics(rowCount: number): OpenLineageOutputStatisticsFacet {
    return { ...this.base("OutputStatisticsOutputDatasetFacet"), rowCount };
  }

  /** Metrics of an input (`input: true`, an input facet) or an output (a dataset facet). */
  dataQualityMetrics(rowCount: number | undefined, columnMetrics: Record<string, OpenLineageColumnMetrics>, input: boolean): OpenLineageDataQualityMetricsFacet {
    const base = this.base(input ? "DataQualityMetricsInputDatasetFacet" : "DataQualityMetricsDatasetFacet");
    return rowCount === undefined ? { ...base, columnMetrics } : { ...base, rowCount, columnMetrics };
  }

  dataQualityAssertions(checks: readonly CheckResult[]): OpenLineageDataQualityAssertionsFacet {
    return { ...this.base("DataQualityAssertionsDatasetFacet"), assertions: checks.map(assertionOf) };
  }

  jobType(jobType: "JOB" | "TASK"): OpenLineageJobTypeFacet {
    return { ...this.base("JobTypeJobFacet"), processingType: "BATCH", integration: "LINEA", jobType };
  }

  sql(query: string): OpenLineageSqlFacet {
    return { ...this.base("SQLJobFacet"), query, dialect: "duckdb" };
  }

  sourceCode(source: string): OpenLineageSourceCodeFacet {
    return { ...this.base("SourceCodeJobFacet"), language: "javascript", sourceCode: source };
  }

  /** The `parent` facet of a step's run: the pipeline's run is its parent and its root. */
  parent(pipelineRun: OpenLineageRunReference): OpenLineageParentFacet {
    const reference = { run: { ...pipelineRun.run }, job: { ...pipelineRun.job } };
    return { ...this.base("ParentRunFacet"), ...reference, root: { run: { ...pipelineRun.run }, job: { ...pipelineRun.job } } };
  }

  processingEngine(): OpenLineageProcessingEngineFacet {
    return { ...this.base("ProcessingEngineRunFacet"), name: "linea", version: LINEA_VERSION, openlineageAdapterVersion: LINEA_VERSION };
  }

  errorMessage(message: string): OpenLineageErrorMessageFacet {
    return { ...this.base("ErrorMessageRunFacet"), message, programmingLanguage: "javascript" };
  }
}

/** A check result as an assertion: `success` only when it passed (a check that could not run did not). */
function assertionOf(check: CheckResult): OpenLineageAssertion {
  const column = check.columns.length === 1 ? check.columns[0] : undefined;
  const assertion = { assertion: check.kind, success: check.status === "pass", severity: check.severity, name: check.name, description: check.message };
  return column === undefined ? assertion : { ...assertion, column };
}
