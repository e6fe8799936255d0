/* Generated from schemas/lineage.schema.json by scripts/generate-types.ts (npm run generate:types). Do not edit. */

/**
 * The lineage of one pipeline run, as linea's Tracker exports it. Every value is JSON-safe: integers beyond 2^53 are decimal strings, dates ISO 8601 strings, NaN and infinities the strings "NaN", "Infinity", "-Infinity", bytes base64 strings.
 */
export interface LineageDocument {
  /**
   * The version of this document's shape.
   */
  lineage_version: "1";
  pipeline_name: string;
  /**
   * The run id.
   */
  execution_id: string;
  /**
   * The plan's fingerprint, shared by runs of the same pipeline shape.
   */
  batch_run_id: string;
  /**
   * 1 for a fresh run, 2 and up for its resumes.
   */
  run_attempt?: number;
  status: "success" | "failed" | "running";
  start_time: string | null;
  end_time: string | null;
  total_duration_ms: number;
  /**
   * The folder the run's relative file paths resolve against.
   */
  base_dir?: string;
  /**
   * Columns whose sample values are masked.
   */
  redacted_columns?: string[];
  steps: StepRecord[];
  datasets: DatasetRecord[];
  edges: EdgeRecord[];
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "StepRecord".
 */
export interface StepRecord {
  step_name: string;
  layer: string | null;
  status: "success" | "cached" | "failed" | "skipped" | "running" | "pending";
  /**
   * Why a skipped step never ran.
   */
  kind?: "blocked" | "aborted";
  /**
   * The failed upstream step that blocked this one.
   */
  blocked_by?: string;
  status_reason?: "upstream_failed" | "fail_fast_abort" | "interrupted";
  error_message?: string;
  start_time: string | null;
  end_time: string | null;
  duration_ms: number;
  attempts: number;
  cached: boolean;
  cache_key?: string;
  /**
   * The datasets the step reads.
   */
  inputs: string[];
  /**
   * The datasets the step produces.
   */
  outputs: string[];
  body: StepBodyRecord;
  /**
   * The snapshot of the step's primary (first declared) input.
   */
  before_snapshot: SnapshotRecord | null;
  /**
   * A snapshot of each input, by the step's local name for it.
   */
  before_snapshots: {
    [k: string]: SnapshotRecord;
  };
  /**
   * The snapshot of the step's primary (first declared) output; for a write step, of the data written.
   */
  after_snapshot: SnapshotRecord | null;
  /**
   * A snapshot of each output by dataset name (for a write step, by the file written).
   */
  after_snapshots: {
    [k: string]: SnapshotRecord;
  };
  /**
   * From the primary input's schema to the primary output's; a step without inputs adds every column.
   */
  schema_diff: SchemaDiffRecord | null;
  /**
   * Rows of all outputs minus rows of the primary input (0 for a write step; all output rows for a step without inputs).
   */
  row_delta: number | null;
  checks: CheckRecord[];
  attempt_log: AttemptLogRecord[];
  /**
   * The step's column lineage per output dataset (a write step's output is its file, by path), in the shape of the OpenLineage ColumnLineageDatasetFacet with linea dataset names instead of namespaces. Present once the step succeeded or was reused.
   */
  column_lineage?: {
    [k: string]: DatasetColumnLineage;
  };
  /**
   * Where the column lineage comes from: DuckDB's binder (sql), identity between a file and its dataset (file), the run step's own declaration (declared), or nowhere: a run step that declares none is opaque.
   */
  column_lineage_source?: "sql" | "file" | "declared" | "opaque";
  /**
   * Why column lineage is missing or incomplete, when it is.
   */
  column_lineage_note?: string;
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "StepBody".
 */
export interface StepBodyRecord {
  kind: "sql" | "run" | "read" | "write";
  sql?: string;
  /**
   * A run step's engine: duckdb, arrow, danfo, rows, or one the project registered.
   */
  engine?: string;
  path?: string;
  format?: "csv" | "parquet" | "json";
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "Snapshot".
 */
export interface SnapshotRecord {
  dataset: string;
  /**
   * Columns as "name: type".
   */
  schema: string[];
  row_count: number;
  sample: {}[];
  value?: ValueRecord;
}
/**
 * For a value dataset (a plain JSON value a run step returned: no schema, no rows): its JSON type and its compact JSON, cut to 200 characters with an ellipsis.
 */
export interface ValueRecord {
  type: "null" | "boolean" | "number" | "string" | "array" | "object";
  preview: string;
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "SchemaDiff".
 */
export interface SchemaDiffRecord {
  added: string[];
  removed: string[];
  changed: ChangedColumn[];
}
export interface ChangedColumn {
  column: string;
  before: string;
  after: string;
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "CheckRecord".
 */
export interface CheckRecord {
  name: string;
  kind: "not_null" | "unique" | "accepted_values" | "row_count" | "expression";
  severity: "error" | "warn";
  dataset: string;
  columns: string[];
  status: "pass" | "fail" | "error";
  failing_rows: number;
  total_rows: number;
  message: string;
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "AttemptRecord".
 */
export interface AttemptLogRecord {
  attempt: number;
  outcome: "success" | "failed" | "timeout" | "interrupted";
  error_message?: string;
  retry_delay_ms?: number;
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "DatasetColumnLineage".
 */
export interface DatasetColumnLineage {
  /**
   * Per output column, the input fields it comes from.
   */
  fields: {
    [k: string]: FieldLineage;
  };
  /**
   * Dataset-wide INDIRECT edges (JOIN, FILTER, GROUP_BY, SORT).
   */
  dataset: InputFieldRecord[];
  /**
   * Output columns without lineage, each with the reason it could not be derived.
   */
  unresolved?: {
    [k: string]: string;
  };
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "FieldLineage".
 */
export interface FieldLineage {
  inputFields: InputFieldRecord[];
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "InputFieldRecord".
 */
export interface InputFieldRecord {
  /**
   * A linea dataset name, or a file's path (read and write steps).
   */
  dataset: string;
  field: string;
  transformations: ColumnTransformationRecord[];
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "ColumnTransformationRecord".
 */
export interface ColumnTransformationRecord {
  type: "DIRECT" | "INDIRECT";
  subtype:
    "IDENTITY" | "TRANSFORMATION" | "AGGREGATION" | "JOIN" | "FILTER" | "GROUP_BY" | "SORT" | "WINDOW" | "CONDITIONAL";
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "DatasetRecord".
 */
export interface DatasetRecord {
  name: string;
  /**
   * A source (given to execute), produced and read by steps, produced and read by none, or a file read or written.
   */
  kind: "source" | "intermediate" | "output" | "file";
  /**
   * The step that produces it (null for sources and files read).
   */
  producer: string | null;
  consumers: string[];
  schema: string[] | null;
  row_count: number | null;
}
/**
 * This interface was referenced by `LineageDocument`'s JSON-Schema
 * via the `definition` "Edge".
 */
export interface EdgeRecord {
  from: string;
  to: string;
  dataset: string;
}
