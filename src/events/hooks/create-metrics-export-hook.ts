import { extname } from "node:path";
import { InvalidOptionsError } from "../../errors/linea-error.js";
import { assertNever } from "../../util/assert-never.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import { q } from "../../util/quote.js";
import type { Hook } from "../event-bus.js";
import type { EventType } from "../event-types.js";
import { prometheusText } from "./prometheus-text.js";
import { runMetricFamilies, runMetricsDocument } from "./run-metrics.js";
import { StepTally, type RunRecord } from "./step-tally.js";

/** The files a metrics export hook writes. */
export const METRICS_FORMATS = ["json", "prometheus", "both"] as const;
export type MetricsFormat = (typeof METRICS_FORMATS)[number];

/** Options of {@link createMetricsExportHook}. */
export interface MetricsExportHookOptions {
  /** Where the JSON document goes (relative paths resolve against the current folder). */
  outputPath: string;
  /** @default "both" */
  format?: MetricsFormat;
  /** Where the Prometheus text goes. @default outputPath with its extension replaced by `.prom` */
  prometheusPath?: string;
}

/** `metrics.json` → `metrics.prom`; `metrics` → `metrics.prom`. */
export function prometheusPathFor(outputPath: string): string {
  const ext = extname(outputPath);
  return `${ext ? outputPath.slice(0, -ext.length) : outputPath}.prom`;
}

function checkOptions(options: MetricsExportHookOptions): { format: MetricsFormat; promPath: string } {
  if (typeof options?.outputPath !== "string" || options.outputPath === "") {
    throw new InvalidOptionsError("outputPath", "createMetricsExportHook needs `outputPath`, the file to write the metrics to, e.g. { outputPath: \"lineage-out/metrics.json\" }.");
  }
  const format = options.format ?? "both";
  if (!(METRICS_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidOptionsError("format", `Expected \`format\` to be one of ${METRICS_FORMATS.join(", ")}, got ${q(String(format))}.`);
  }
  const promPath = options.prometheusPath ?? prometheusPathFor(options.outputPath);
  if (format === "both" && promPath === options.outputPath) {
    throw new InvalidOptionsError("prometheusPath", `The JSON and Prometheus metrics would both go to ${q(promPath)}; give the JSON file another extension, or set \`prometheusPath\`.`);
  }
  return { format, promPath };
}

async function writeMetrics(run: RunRecord, format: MetricsFormat, jsonPath: string, promPath: string): Promise<void> {
  const json = (): Promise<void> => writeFileAtomic(jsonPath, `${JSON.stringify(runMetricsDocument(run), null, 2)}\n`);
  const prom = (): Promise<void> => writeFileAtomic(promPath, prometheusText(runMetricFamilies(run)));
  switch (format) {
    case "json":
      return json();
    case "prometheus":
      return prom();
    case "both":
      await Promise.all([json(), prom()]);
      return;
    default:
      assertNever(format, "metrics format");
  }
}

/**
 * A hook that writes the metrics of each run when it ends: per step its duration, rows, final status,
 * attempts, retries and whether it was a cache hit, and the run's totals. The JSON document goes to
 * `outputPath`; the Prometheus text exposition format (`# HELP`/`# TYPE` lines, gauges such as
 * `linea_step_duration_seconds{pipeline="...",step="..."}`, fit for node_exporter's textfile collector)
 * goes to `prometheusPath`, by default `outputPath` with a `.prom` extension. Each file is replaced
 * atomically, so a reader never sees half of one; each run overwrites the previous run's files.
 *
 * Register it for every event (`"*"`): the per-step metrics come from the node events.
 *
 * @example
 * ```ts
 * bus.registerHook("*", createMetricsExportHook({ outputPath: "lineage-out/metrics.json" }));
 * // writes lineage-out/metrics.json and lineage-out/metrics.prom after each run
 * ```
 * @throws InvalidOptionsError for a missing `outputPath` or an unknown `format`.
 */
export function createMetricsExportHook(options: MetricsExportHookOptions): Hook<EventType> {
  const { format, promPath } = checkOptions(options);
  const tally = new StepTally();
  return async function metricsExportHook(payload, { eventType }) {
    const run = tally.observe(eventType, payload);
    if (run !== undefined) await writeMetrics(run, format, options.outputPath, promPath);
  };
}
