/** The OpenLineage core schema linea's events follow (spec 2-0-2). */
export const OPENLINEAGE_SPEC_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json";

/** Every RunEvent's `schemaURL`: the RunEvent definition of the core schema. */
export const RUN_EVENT_SCHEMA_URL = `${OPENLINEAGE_SPEC_URL}#/$defs/RunEvent`;

/**
 * The `$id` of the schema of each facet linea emits, keyed by the facet's definition name (the schema's
 * `$defs` entry). The versions are those of the OpenLineage spec folder linea was checked against.
 */
export const OPENLINEAGE_FACET_SCHEMAS = {
  SchemaDatasetFacet: "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json",
  ColumnLineageDatasetFacet: "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json",
  OutputStatisticsOutputDatasetFacet: "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json",
  DataQualityMetricsInputDatasetFacet: "https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json",
  DataQualityMetricsDatasetFacet: "https://openlineage.io/spec/facets/1-0-0/DataQualityMetricsDatasetFacet.json",
  DataQualityAssertionsDatasetFacet: "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json",
  SQLJobFacet: "https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json",
  SourceCodeJobFacet: "https://openlineage.io/spec/facets/1-0-1/SourceCodeJobFacet.json",
  JobTypeJobFacet: "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json",
  ParentRunFacet: "https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json",
  ProcessingEngineRunFacet: "https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json",
  ErrorMessageRunFacet: "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json",
} as const;

/** The definition name of a facet linea emits. */
export type OpenLineageFacetName = keyof typeof OPENLINEAGE_FACET_SCHEMAS;

/** A facet's `_schemaURL`: its schema's `$id` and a pointer to its definition. */
export function facetSchemaUrl(name: OpenLineageFacetName): string {
  return `${OPENLINEAGE_FACET_SCHEMAS[name]}#/$defs/${name}`;
}
