/* Generated from schemas/pipeline.schema.json by scripts/generate-types.ts (npm run generate:types). Do not edit. */

/**
 * A step or dataset name: letters, digits, `_`, `.` and `-` (not only dots).
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Name".
 */
export type PipelineFileName = string;
/**
 * A file a read or write step names: a path (the format comes from the extension), or { path, format, options }. Paths are relative to baseDir.
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "FileTarget".
 */
export type PipelineFileTarget =
  | string
  | {
      /**
       * Relative to baseDir.
       */
      path: string;
      /**
       * Default: the format the extension names.
       */
      format?: "csv" | "parquet" | "json";
      /**
       * DuckDB reader or writer options, e.g. { delim: ";" } or { types: { qty: BIGINT } }.
       */
      options?: {
        [k: string]: PipelineFileOptionValue;
      };
    };
/**
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "FileOptionValue".
 */
export type PipelineFileOptionValue =
  | (string | number | boolean)
  | (string | number | boolean)[]
  | {
      [k: string]: string | number | boolean;
    };

/**
 * A linea pipeline written as data (a .json or .yaml file): its name, run options and steps. `linea run <file>` loads it with loadPipeline, which checks it against this schema and then against linea's own step rules. `errorMessage` is an annotation linea's loader (and editors that know it) show instead of the generic message when a value has the wrong type or shape.
 */
export interface PipelineFile {
  /**
   * This schema's location, for editors; linea ignores it.
   */
  $schema?: string;
  /**
   * The pipeline's name, in events, lineage and history.
   */
  name: string;
  description?: string;
  /**
   * The folder the steps' relative paths (read, write, cacheDir, checkpointDir, historyDb) resolve against, relative to this file's folder. Default: this file's folder.
   */
  baseDir?: string;
  options?: PipelineFileOptions;
  /**
   * Params of every step, under each step's own (which win): in ctx.params, a SQL step's $name parameters and the cache key. `--param name=value` overrides them.
   */
  params?: {
    [k: string]: unknown;
  };
  /**
   * Named overlays of options and params (dev, prod, ...), chosen with `linea run --env NAME` or LINEA_ENV.
   */
  environments?: {
    [k: string]: PipelineFileEnvironment;
  };
  hooks?: PipelineFileHooks;
  /**
   * The steps, in declaration order (which breaks ties in the plan's order).
   *
   * @minItems 1
   */
  steps: [PipelineFileStep, ...PipelineFileStep[]];
}
/**
 * Orchestrator options that can be written as data. Command-line flags override them.
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Options".
 */
export interface PipelineFileOptions {
  /**
   * Steps running at once.
   */
  maxWorkers?: number;
  /**
   * Run every branch that does not depend on a failure, instead of stopping at the first.
   */
  continueOnError?: boolean;
  /**
   * Retries of every step (a step's `retry.maxRetries` overrides it).
   */
  maxRetries?: number;
  retry?: PipelineFileRetry;
  /**
   * Each attempt's limit in milliseconds, for every step without its own.
   */
  timeoutMs?: number;
  /**
   * Reuse results of earlier runs, and keep new ones.
   */
  cache?: boolean;
  /**
   * Relative to baseDir. Default: .linea/cache.
   */
  cacheDir?: string;
  /**
   * The cache's size limit; past it, least recently used entries are evicted after a run. Default: 5 GiB.
   */
  cacheMaxBytes?: number;
  /**
   * Which outputs the cache and checkpoints keep: auto (source files, written files, small outputs, results, outputs rebuilt for a later run, and outputs much slower to compute than to store) or all.
   */
  persist?: "auto" | "all";
  /**
   * Under persist: auto, outputs of at most this many cells (rows × columns) are always kept.
   */
  persistSmallCells?: number;
  /**
   * Under persist: auto, what storing one cell costs on this machine, in nanoseconds.
   */
  persistWriteNsPerCell?: number;
  /**
   * Under persist: auto, a large output is kept when its step took more than this many times as long as storing it would.
   */
  persistRecomputeFactor?: number;
  /**
   * Keep a checkpoint of each run, so a failed run can be resumed.
   */
  checkpoint?: boolean;
  /**
   * Relative to baseDir. Default: .linea/checkpoints.
   */
  checkpointDir?: string;
  /**
   * The run history: a DuckDB file relative to baseDir, a postgres:// URL, or false for none. Default: .linea/history.duckdb.
   */
  historyDb?: string | false;
  /**
   * Run steps on a worker pool: the Redis of its BullMQ queue (redis://HOST:PORT). Needs store.
   */
  queue?: string;
  /**
   * The BullMQ queue's name; workers must be given the same (--queue-name). Default: linea.<pipeline name>.
   */
  queueName?: string;
  /**
   * The object store shared with the workers: a folder (relative to baseDir), file:///path or s3://bucket/prefix.
   */
  store?: string;
  /**
   * Take snapshots (schema, row count, sample rows) of every step's inputs and outputs.
   */
  enableTracker?: boolean;
  /**
   * Sample rows kept per snapshot; 0 keeps none.
   */
  sampleRows?: number;
  /**
   * Columns (PII) whose sample values are masked in the tracker and every export.
   */
  redact?: string[];
  /**
   * Files and folders outside baseDir the pipeline may read and write too, relative to baseDir. By default a pipeline reads and writes only under its baseDir (the sandbox); this is the one way to widen it.
   */
  allowPaths?: string[];
}
/**
 * How a step is retried: the delay before retry n is delayMs * backoff^(n-1), capped at maxDelayMs, less up to jitter of itself.
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Retry".
 */
export interface PipelineFileRetry {
  maxRetries?: number;
  delayMs?: number;
  backoff?: number;
  maxDelayMs?: number;
  jitter?: number;
}
/**
 * An overlay chosen with --env NAME or LINEA_ENV: its options replace the file's, option by option; its params are merged over the file's.
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Environment".
 */
export interface PipelineFileEnvironment {
  description?: string;
  options?: PipelineFileOptions;
  params?: {
    [k: string]: unknown;
  };
}
/**
 * linea's built-in hooks, configured without code. Any text value may name environment variables: ${NAME} (an error when it is not set), or ${NAME:-default}. Secrets (webhook URLs, API keys) are never printed, logged or recorded.
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Hooks".
 */
export interface PipelineFileHooks {
  slack?: PipelineFileSlackHook;
  metrics?: PipelineFileMetricsHook;
  event_log?: PipelineFileEventLogHook;
  openlineage?: PipelineFileOpenLineageHook;
}
/**
 * Posts events to a Slack incoming webhook.
 */
export interface PipelineFileSlackHook {
  /**
   * The incoming-webhook URL, a secret: write "${SLACK_WEBHOOK_URL}" rather than the URL itself.
   */
  webhookUrl: string;
  /**
   * The events to post. Default: node_error, pipeline_error, pipeline_complete.
   *
   * @minItems 1
   */
  events?: [
    (
      | "pipeline_start"
      | "node_start"
      | "node_retry"
      | "node_complete"
      | "node_cached"
      | "node_error"
      | "node_skipped"
      | "pipeline_complete"
      | "pipeline_error"
      | "hook_error"
    ),
    ...(
      | "pipeline_start"
      | "node_start"
      | "node_retry"
      | "node_complete"
      | "node_cached"
      | "node_error"
      | "node_skipped"
      | "pipeline_complete"
      | "pipeline_error"
      | "hook_error"
    )[]
  ];
  /**
   * Overrides the webhook's display name (legacy webhooks only).
   */
  username?: string;
  /**
   * Overrides the webhook's channel (legacy webhooks only).
   */
  channel?: string;
}
/**
 * Writes each run's metrics when it ends: JSON, and the Prometheus text format.
 */
export interface PipelineFileMetricsHook {
  /**
   * The JSON file, relative to baseDir.
   */
  path: string;
  /**
   * Default: both.
   */
  format?: "json" | "prometheus" | "both";
  /**
   * The Prometheus text file, relative to baseDir. Default: path with the extension .prom.
   */
  prometheusPath?: string;
}
/**
 * Appends events to a JSON Lines file.
 */
export interface PipelineFileEventLogHook {
  /**
   * The JSON Lines file, relative to baseDir.
   */
  path: string;
  /**
   * The events to log. Default: all of them.
   *
   * @minItems 1
   */
  events?: [
    (
      | "pipeline_start"
      | "node_start"
      | "node_retry"
      | "node_complete"
      | "node_cached"
      | "node_error"
      | "node_skipped"
      | "pipeline_complete"
      | "pipeline_error"
      | "hook_error"
    ),
    ...(
      | "pipeline_start"
      | "node_start"
      | "node_retry"
      | "node_complete"
      | "node_cached"
      | "node_error"
      | "node_skipped"
      | "pipeline_complete"
      | "pipeline_error"
      | "hook_error"
    )[]
  ];
}
/**
 * Sends OpenLineage RunEvents while the run goes (url), and/or writes them to a JSON Lines file when it ends (file). OPENLINEAGE_URL, OPENLINEAGE_NAMESPACE and OPENLINEAGE_API_KEY fill in what is not given here.
 */
export interface PipelineFileOpenLineageHook {
  /**
   * The OpenLineage server, e.g. http://localhost:5000. Default: OPENLINEAGE_URL.
   */
  url?: string;
  /**
   * The path events are POSTed to. Default: /api/v1/lineage.
   */
  endpoint?: string;
  /**
   * The jobs' namespace. Default: OPENLINEAGE_NAMESPACE, else linea.
   */
  namespace?: string;
  /**
   * Sent as a bearer token, a secret: write "${OPENLINEAGE_API_KEY}". Default: OPENLINEAGE_API_KEY.
   */
  apiKey?: string;
  /**
   * A JSON Lines file, relative to baseDir, the run's events are written to when it ends.
   */
  file?: string;
}
/**
 * One step: the common fields and exactly one body (sql, run, read or write).
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Step".
 */
export interface PipelineFileStep {
  name: PipelineFileName;
  /**
   * Free text grouping steps for people: ingest, transform, store, ...
   */
  layer?: string;
  /**
   * Labels for selecting steps: `linea run --select tag:nightly`.
   */
  tags?: string[];
  description?: string;
  /**
   * `{ localName: datasetName }`, or a list of dataset names (the local name is the dataset name).
   */
  inputs?:
    | {
        [k: string]: PipelineFileName;
      }
    | PipelineFileName[];
  /**
   * The datasets the step produces.
   */
  outputs?: PipelineFileName[];
  /**
   * Given to a run step's function as `ctx.params`.
   */
  params?: {
    [k: string]: unknown;
  };
  retry?: PipelineFileRetry;
  /**
   * Each attempt's limit in milliseconds.
   */
  timeoutMs?: number;
  /**
   * Reuse when the key matches, always recompute (and store), or never touch the cache.
   */
  cache?: "default" | "recompute" | "disable";
  /**
   * Overrides the code version derived from the body, for cache keys.
   */
  codeVersion?: string;
  /**
   * Where the step runs when the run has a queue: on the worker pool (remote, the default) or in the coordinator (local).
   */
  placement?: "local" | "remote";
  /**
   * Data checks on the step's outputs; a failing check of severity error fails the step.
   */
  checks?: PipelineFileCheck[];
  /**
   * Run steps only: the form the inputs arrive in.
   */
  engine?: "duckdb" | "arrow" | "danfo" | "rows";
  /**
   * Run steps only: declared columns of outputs, by output name ({ orders: { id: "BIGINT" } }, DuckDB type names). An output declared so may be an empty array.
   */
  columns?: {
    [k: string]: {
      [k: string]: string;
    };
  };
  /**
   * Run steps only: the step's column lineage, declared ({ output: { fields: { column: { inputFields: [{ dataset, field, transformations: [{ type, subtype }] }] } }, dataset: [...] } }); without it a run step is opaque. linea derives it for sql, read and write steps.
   */
  columnLineage?: {
    [k: string]: {
      fields: {
        [k: string]: {
          inputFields: DeclaredInputField[];
        };
      };
      dataset?: DeclaredInputField[];
    };
  };
  /**
   * One DuckDB SELECT; each input is a table named by its local name.
   */
  sql?: string;
  run?: PipelineFileRun;
  read?: PipelineFileTarget;
  write?: PipelineFileTarget;
}
/**
 * A data check on an output. Which fields a kind needs: not_null and unique a column (unique also a list of columns), accepted_values a column and values, row_count min and/or max, expression an expression.
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Check".
 */
export interface PipelineFileCheck {
  kind: "not_null" | "unique" | "accepted_values" | "row_count" | "expression";
  /**
   * Shown in results; defaults to a name derived from the check.
   */
  name?: string;
  severity?: "error" | "warn";
  /**
   * The output checked; defaults to the step's only output.
   */
  dataset?: string;
  column?: string | [string, ...string[]];
  /**
   * @minItems 1
   */
  values?: [string | number | boolean, ...(string | number | boolean)[]];
  min?: number;
  max?: number;
  /**
   * A SQL boolean expression every row must satisfy.
   */
  expression?: string;
}
/**
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "DeclaredInputField".
 */
export interface DeclaredInputField {
  /**
   * One of the step's inputs, by dataset or local name.
   */
  dataset: string;
  field: string;
  /**
   * @minItems 1
   */
  transformations: [
    {
      type: "DIRECT" | "INDIRECT";
      subtype:
        | "IDENTITY"
        | "TRANSFORMATION"
        | "AGGREGATION"
        | "JOIN"
        | "FILTER"
        | "GROUP_BY"
        | "SORT"
        | "WINDOW"
        | "CONDITIONAL";
    },
    ...{
      type: "DIRECT" | "INDIRECT";
      subtype:
        | "IDENTITY"
        | "TRANSFORMATION"
        | "AGGREGATION"
        | "JOIN"
        | "FILTER"
        | "GROUP_BY"
        | "SORT"
        | "WINDOW"
        | "CONDITIONAL";
    }[]
  ];
}
/**
 * A function exported by a module; it receives (inputs, ctx) like a run body written in TypeScript.
 *
 * This interface was referenced by `PipelineFile`'s JSON-Schema
 * via the `definition` "Run".
 */
export interface PipelineFileRun {
  /**
   * The module's path, relative to the pipeline file's folder (not baseDir). TypeScript modules (.ts, .mts, .cts) are compiled by linea itself, wherever they are.
   */
  module: string;
  /**
   * The name of the function export.
   */
  export?: string;
}
