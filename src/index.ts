// The public surface of linea: every exported name is listed here explicitly.

export { Orchestrator } from "./orchestrator/orchestrator.js";
export type { OrchestratorOptions, ExecuteOptions, Logger, ResumeOptions } from "./orchestrator/orchestrator-options.js";

export { defineStep } from "./step/define-step.js";
export { validateStep, stepProblems } from "./step/validate-step.js";
export { StepDefinitionError } from "./step/step-definition-error.js";
export { ENGINES, FILE_FORMATS, CACHE_POLICIES, BODY_KINDS, NAME_PATTERN } from "./step/step.js";
export type {
  Step, SqlStep, RunStep, ReadStep, WriteStep, StepCommon, StepContext, RunFunction, FileTarget, EngineName, FileFormat,
  CachePolicy, BodyKind, EngineForms, DatasetValue, StepOutput, RunStepOf, FileOptionValue,
} from "./step/step.js";
export type {
  Engine, EngineBodies, EngineBodyKind, BodyContext, CheckMeasure, EngineHost, EngineInstance, EngineSession, EngineStep,
  EngineStepStart, EngineStorage,
} from "./engines/engine.js";
export { ENGINE_BODY_KINDS } from "./engines/engine.js";
export { registerEngine, registeredEngines } from "./engines/engine-registry.js";
export type { FormAdapter, DataRuntime } from "./data/form-adapter.js";
export type { ColumnBatch } from "./data/column-batch.js";
export type { DanfoTypes, DanfoFrameShape, DanfoDataFrame } from "./data/forms/danfo-frame.js";
export { DanfoMissingError, DANFO_OVERRIDES } from "./engines/danfo/danfo-missing-error.js";
export { CHECK_KINDS, CHECK_SEVERITIES } from "./step/check.js";
export type { Check, CheckKind, CheckSeverity } from "./step/check.js";

export { buildPlan } from "./plan/build-plan.js";
export { planToMermaid } from "./plan/plan-to-mermaid.js";
export { PlanError, DuplicateStepError, DuplicateOutputError, CycleError, MissingInputError } from "./plan/plan-errors.js";
export { selectSteps, SELECTOR_METHODS, type Selection, type SelectableStep, type SelectorMethod } from "./plan/select-steps.js";
export { SelectionError } from "./plan/selection-error.js";
export { ParamsError } from "./orchestrator/params-error.js";
export { diffRuns, KEY_CHANGE_CAUSES, type RunDiff, type StepDiff, type SchemaChange, type CheckChange, type ChangedColumn, type KeyChangeCause } from "./history/diff-runs.js";
export type { CacheKeyParts } from "./cache/cache-key.js";
export { DRY_RUN_ACTIONS, type DryRunAction, type DryRunReport, type DryRunStep } from "./orchestrator/dry-run.js";
export type { MissingInput, DuplicateOutput } from "./plan/plan-errors.js";
export type { ExecutionPlan, PlanStep, PlanEdge, PlanSelection } from "./plan/execution-plan.js";

export { computeDelay, resolveRetryPolicy, DEFAULT_RETRY_POLICY } from "./execute/retry-policy.js";
export type { RetryOptions, RetryPolicy } from "./execute/retry-policy.js";
export { NODE_STATUSES, SKIP_KINDS, STATUS_REASONS, ATTEMPT_OUTCOMES } from "./execute/node-result.js";
export type { NodeResult, NodeStatus, SkipKind, StatusReason, AttemptRecord, AttemptOutcome } from "./execute/node-result.js";
export type { RunResult, RunWarning } from "./execute/run-result.js";
export { StepTimeoutError, StepFailedError, StepOutputError, RunInterruptedError } from "./errors/step-errors.js";
export { SchedulerStallError } from "./execute/schedule.js";

export type { Dataset, DatasetForm, Row, Column } from "./data/dataset.js";
export type { DatasetHandle } from "./data/dataset-handle.js";
export { DataMap } from "./data/data-map.js";
export { Relation } from "./engines/duckdb/relation.js";
export type { DuckDBStepContext } from "./engines/duckdb/step-context.js";
export type { DuckDBEngineOptions } from "./engines/duckdb/duckdb-engine.js";

export { EventBus } from "./events/event-bus.js";
export type { Hook, HookContext, HookOptions, HookRegistration, EventBusOptions } from "./events/event-bus.js";
export { EventPriority } from "./events/event-priority.js";
export { EVENT_TYPES } from "./events/event-types.js";
export type { EventType, EventPayloads, LineaEvent, RunEventBase, NodeEventBase, StatusCounts } from "./events/event-types.js";

export { Tracker } from "./track/tracker.js";
export type { StepExecution, TrackedBody, TrackedAttempt } from "./track/step-execution.js";
export type { TrackerOptions } from "./track/tracker.js";
export type { Snapshot } from "./track/snapshot.js";
export { REDACTED } from "./track/snapshot.js";
export type { SchemaDiff } from "./track/schema-diff.js";
export { diffSchemas } from "./track/schema-diff.js";
export type { LineageDocument, StepRecord, SnapshotRecord, DatasetRecord, EdgeRecord, CheckRecord } from "./track/lineage.generated.js";
export { toJsonSafe } from "./util/json-safe.js";

export { LineaError, InvalidOptionsError, LINEA_ERROR_CODES } from "./errors/linea-error.js";
export type { LineaErrorCode } from "./errors/linea-error.js";

export { formatRunSummary, summaryLines } from "./execute/summarize-run.js";
export { formatSummaryTable, summaryHeadline } from "./execute/format-run-summary.js";
export type { SummaryLine } from "./execute/format-run-summary.js";
export { CHECK_STATUSES } from "./execute/check-result.js";
export type { CheckResult, CheckStatus } from "./execute/check-result.js";
export { CheckFailedError, checkName } from "./execute/run-checks.js";

export { createSlackHook } from "./events/hooks/create-slack-hook.js";
export type { SlackHookOptions } from "./events/hooks/create-slack-hook.js";
export { SlackWebhookError } from "./events/hooks/slack-webhook-error.js";
export type { SlackMessage, SlackBlock, SlackText } from "./events/hooks/slack-message.js";
export { createSummaryHook } from "./events/hooks/create-summary-hook.js";
export type { SummaryHookOptions } from "./events/hooks/create-summary-hook.js";
export { createMetricsExportHook, METRICS_FORMATS } from "./events/hooks/create-metrics-export-hook.js";
export type { MetricsExportHookOptions, MetricsFormat } from "./events/hooks/create-metrics-export-hook.js";
export type { RunMetricsDocument } from "./events/hooks/run-metrics.js";
export { createEventLogHook } from "./events/hooks/create-event-log-hook.js";
export type { EventLogHookOptions } from "./events/hooks/create-event-log-hook.js";

export { buildOpenLineageEvents, pipelineRunId, stepRunId } from "./track/openlineage/build-openlineage-events.js";
export { exportOpenLineage, DEFAULT_OPENLINEAGE_ENDPOINT } from "./track/openlineage/export-openlineage.js";
export { createOpenLineageHook, openLineageHookOptionsFromEnv, OPENLINEAGE_ENV } from "./track/openlineage/create-openlineage-hook.js";
export type { OpenLineageHookOptions } from "./track/openlineage/create-openlineage-hook.js";
export type { OpenLineageTarget, OpenLineageHttpTarget, OpenLineageExportSummary } from "./track/openlineage/export-openlineage.js";
export { OpenLineageExportError } from "./track/openlineage/openlineage-export-error.js";
export { DEFAULT_OPENLINEAGE_PRODUCER } from "./track/openlineage/openlineage-options.js";
export type { OpenLineageOptions } from "./track/openlineage/openlineage-options.js";
export { openLineageUuid } from "./track/openlineage/openlineage-uuid.js";
export { OPENLINEAGE_SPEC_URL, RUN_EVENT_SCHEMA_URL, OPENLINEAGE_FACET_SCHEMAS } from "./track/openlineage/openlineage-schema-urls.js";
export type { OpenLineageFacetName } from "./track/openlineage/openlineage-schema-urls.js";
export { OPENLINEAGE_EVENT_TYPES } from "./track/openlineage/openlineage-types.js";
export type {
  OpenLineageRunEvent, OpenLineageEventType, OpenLineageBaseFacet, OpenLineageInputDataset, OpenLineageOutputDataset, OpenLineageDatasetId,
  OpenLineageRunFacets, OpenLineageJobFacets, OpenLineageDatasetFacets, OpenLineageSchemaFacet, OpenLineageSchemaField,
  OpenLineageDataQualityMetricsFacet, OpenLineageColumnMetrics, OpenLineageDataQualityAssertionsFacet, OpenLineageAssertion,
  OpenLineageOutputStatisticsFacet, OpenLineageJobTypeFacet, OpenLineageSqlFacet, OpenLineageSourceCodeFacet, OpenLineageParentFacet,
  OpenLineageRunReference, OpenLineageProcessingEngineFacet, OpenLineageErrorMessageFacet,
} from "./track/openlineage/openlineage-types.js";

export { renderHtmlReport } from "./track/html/render-html-report.js";
export type { HtmlReportSource } from "./track/html/report-context.js";
export { escapeHtml } from "./track/html/escape-html.js";
export { REPORT_STATUSES, reportStatusOf } from "./track/html/report-status.js";
export type { ReportStatus } from "./track/html/report-status.js";

export { CheckpointStore, CheckpointNotFoundError, NothingToResumeError, CHECKPOINT_STATUSES } from "./checkpoint/checkpoint-store.js";
export type { RunCheckpoint, LoadedCheckpoint, CheckpointStatus } from "./checkpoint/checkpoint-store.js";
export { FolderCheckpointStore } from "./checkpoint/folder-checkpoint-store.js";

// The core's interfaces (see the README's "Architecture") and their default implementations.
export { STORED_FORMATS, OBJECT_NAME } from "./cache/object-store.js";
export type { ObjectStore, StoredObject, StoredFormat, ListedObject } from "./cache/object-store.js";
export { FolderObjectStore } from "./cache/folder-object-store.js";
export { CACHE_KEY_PATTERN } from "./cache/cache-index.js";
export type { CacheIndex, KeyEntry } from "./cache/cache-index.js";
export { FolderCacheIndex } from "./cache/folder-cache-index.js";
export type { PersistedOutput, StoredOutput, StoredResult, StoredData, WrittenFile } from "./cache/stored-output.js";
export { PERSIST_MODES, type PersistMode } from "./cache/persist-policy.js";
export type { HistoryStore, HistoryRunRecorder } from "./history/history-store.js";
export { DuckDBHistoryStore } from "./history/duckdb-history-store.js";
export type { DuckDBHistoryStoreOptions } from "./history/duckdb-history-store.js";
export type { RunIdentity } from "./history/run-record.js";
export type { StepExecutor, StepTask, StepTaskResult, DataRef, TaskError, TaskTimings } from "./execute/step-executor.js";
export { cacheKey, outputDataVersion } from "./cache/cache-key.js";
export type { EngineVersions, KeyInput } from "./cache/cache-key.js";
export { REUSE_SOURCES } from "./cache/node-decision.js";
export type { ReuseSource } from "./cache/node-decision.js";
export { DEFAULT_CACHE_MAX_BYTES, createRunServices, checkpointStoreOf, historyStoreOf, cacheStorageOf } from "./orchestrator/create-run-services.js";
export type { RunServices, RunServicesOptions } from "./orchestrator/create-run-services.js";
export type { CacheStorage } from "./orchestrator/orchestrator-options.js";
export { DEFAULT_PATHS, LINEA_DIR } from "./util/default-paths.js";
export { lineageView } from "./track/lineage-view.js";
export type { LineageSource } from "./track/lineage-source.js";

export { loadPipeline, PIPELINE_EXTENSIONS } from "./pipeline-file/load-pipeline.js";
export { registerPipelineHooks, DEFAULT_SLACK_EVENTS } from "./pipeline-file/register-pipeline-hooks.js";
export type { PipelineHooks } from "./pipeline-file/resolve-pipeline-hooks.js";
export type { LoadPipelineOptions } from "./pipeline-file/load-pipeline.js";
export { PIPELINE_KINDS } from "./pipeline-file/loaded-pipeline.js";
export type { LoadedPipeline, PipelineKind } from "./pipeline-file/loaded-pipeline.js";
export { PipelineFileError } from "./pipeline-file/pipeline-file-error.js";
export type { PipelineProblem } from "./pipeline-file/pipeline-file-error.js";
export type {
  PipelineFile, PipelineFileStep, PipelineFileOptions, PipelineFileRetry, PipelineFileRun, PipelineFileTarget, PipelineFileCheck,
  PipelineFileOptionValue, PipelineFileName,
} from "./pipeline-file/pipeline-file.generated.js";

export { HistoryRecorder } from "./history/history-recorder.js";
export type { HistoryRecorderOptions, RunBeginInfo } from "./history/history-recorder.js";
export { RunHistory } from "./history/run-history.js";
export type { RunFilter } from "./history/read-history.js";
export type { RunSummaryRow, NodeHistoryRow, AttemptHistoryRow, RunLogRow, RunAttemptDetail, RunDetail } from "./history/history-rows.js";
export { buildRunSnapshot } from "./history/run-snapshot.js";
export type { RunSnapshotDocument, SnapshotOutcome, RunFinishDetails } from "./history/run-snapshot.js";
export { runPolicyOf, policyToJson, policyFromJson } from "./model/run-policy.js";
export type { RunPolicy, RunRetryPolicy, RunPolicyJson } from "./model/run-policy.js";
export { RUN_STATUSES, runStatusOf } from "./history/run-status.js";
export type { RunStatus, FinishedRunStatus } from "./history/run-status.js";
export { MIGRATIONS, HISTORY_SCHEMA_VERSION, applyMigrations } from "./history/migrations.js";
export type { Migration, MigrationOutcome } from "./history/migrations.js";
export { HistoryError, HistorySchemaTooNewError, HistoryLockedError } from "./history/history-errors.js";
export { DEFAULT_HISTORY_DB, spoolDirOf } from "./history/history-paths.js";
export { DEFAULT_LOCK_TIMEOUT_MS } from "./history/lock-retry.js";
export type { HistoryAccessOptions } from "./history/history-database.js";

export { Sandbox } from "./sandbox/sandbox.js";
export type { SandboxOptions, ResolvedPath } from "./sandbox/sandbox.js";
export { SandboxError, PATH_ACCESSES } from "./sandbox/sandbox-error.js";
export type { PathViolation, PathAccess } from "./sandbox/sandbox-error.js";
