import { NODE_STATUSES } from "../../model/run-model.js";
import type { MetricFamily, PrometheusSample } from "./prometheus-text.js";
import type { RunRecord, TalliedStep } from "./step-tally.js";

/** The JSON metrics document of one run (snake_case, like linea's other persisted documents). */
export interface RunMetricsDocument {
  readonly pipeline_name: string;
  readonly run_id: string;
  readonly batch_run_id: string;
  readonly status: "success" | "failed";
  readonly duration_ms: number;
  readonly finished_at: string;
  readonly error_message: string | null;
  readonly totals: {
    readonly steps: number;
    readonly success: number;
    readonly cached: number;
    readonly failed: number;
    readonly skipped: number;
    readonly retries: number;
    readonly cache_hits: number;
    readonly rows: number;
  };
  readonly steps: ReadonlyArray<{
    readonly step_name: string;
    readonly layer: string | null;
    readonly status: TalliedStep["status"];
    readonly duration_ms: number;
    readonly rows: number | null;
    readonly attempts: number;
    readonly retries: number;
    readonly cache_hit: boolean;
    readonly note: string | null;
  }>;
}

function sum(steps: readonly TalliedStep[], of: (s: TalliedStep) => number): number {
  return steps.reduce((total, s) => total + of(s), 0);
}

/** A run's metrics as the JSON document. */
export function runMetricsDocument(run: RunRecord): RunMetricsDocument {
  const { steps, counts } = run;
  return {
    pipeline_name: run.pipelineName, run_id: run.runId, batch_run_id: run.batchRunId, status: run.status,
    duration_ms: run.durationMs, finished_at: run.finishedAt, error_message: run.errorMessage ?? null,
    totals: {
      steps: Object.values(counts).reduce((a, b) => a + b, 0),
      ...counts,
      retries: sum(steps, (s) => s.retries), cache_hits: sum(steps, (s) => (s.cacheHit ? 1 : 0)), rows: sum(steps, (s) => s.rows ?? 0),
    },
    steps: steps.map((s) => ({
      step_name: s.stepName, layer: s.layer ?? null, status: s.status, duration_ms: s.durationMs, rows: s.rows ?? null,
      attempts: s.attempts, retries: s.retries, cache_hit: s.cacheHit, note: s.note ?? null,
    })),
  };
}

function gauge(name: string, help: string, samples: PrometheusSample[]): MetricFamily {
  return { name, help, type: "gauge", samples };
}

function stepFamilies(run: RunRecord): MetricFamily[] {
  const pipeline = run.pipelineName;
  const per = (of: (s: TalliedStep) => number | undefined): PrometheusSample[] =>
    run.steps.flatMap((s) => {
      const value = of(s);
      return value === undefined ? [] : [{ labels: { pipeline, step: s.stepName }, value }];
    });
  return [
    gauge("linea_step_duration_seconds", "Wall time of the step in the last run, retries included.", per((s) => s.durationMs / 1000)),
    gauge("linea_step_rows", "Rows over the step's outputs in the last run.", per((s) => s.rows)),
    gauge("linea_step_status", "1 for the step's final status in the last run, 0 for the others.", run.steps.flatMap((s) =>
      NODE_STATUSES.map((status) => ({ labels: { pipeline, step: s.stepName, status }, value: s.status === status ? 1 : 0 })))),
    gauge("linea_step_attempts", "Attempts the step made in the last run (0: skipped or cached).", per((s) => s.attempts)),
    gauge("linea_step_retries", "Retries the step made in the last run.", per((s) => s.retries)),
    gauge("linea_step_cache_hit", "1 when the step's outputs came from the cache in the last run.", per((s) => (s.cacheHit ? 1 : 0))),
  ];
}

function runFamilies(run: RunRecord, doc: RunMetricsDocument): MetricFamily[] {
  const pipeline = run.pipelineName;
  const one = (value: number): PrometheusSample[] => [{ labels: { pipeline }, value }];
  return [
    gauge("linea_run_info", "The last run: its ids and status.", [
      { labels: { pipeline, run_id: run.runId, batch_run_id: run.batchRunId, status: run.status }, value: 1 },
    ]),
    gauge("linea_run_success", "1 when the last run succeeded.", one(run.status === "success" ? 1 : 0)),
    gauge("linea_run_duration_seconds", "Wall time of the last run.", one(run.durationMs / 1000)),
    gauge("linea_run_steps", "Steps of the last run by final status.", NODE_STATUSES.map((status) => ({ labels: { pipeline, status }, value: run.counts[status] }))),
    gauge("linea_run_retries", "Retries over all steps of the last run.", one(doc.totals.retries)),
    gauge("linea_run_cache_hits", "Steps of the last run served from the cache.", one(doc.totals.cache_hits)),
    gauge("linea_run_rows", "Rows over all step outputs of the last run.", one(doc.totals.rows)),
    gauge("linea_run_finished_timestamp_seconds", "When the last run finished, in Unix seconds.", one(Date.parse(run.finishedAt) / 1000)),
  ];
}

/** A run's metrics as Prometheus metric families: per step (labels `pipeline`, `step`), then run totals. */
export function runMetricFamilies(run: RunRecord): MetricFamily[] {
  return [...stepFamilies(run), ...runFamilies(run, runMetricsDocument(run))];
}
