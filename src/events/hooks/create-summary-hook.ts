import { formatSummaryTable, summaryHeadline, type SummaryLine } from "../../model/format-run-summary.js";
import type { Hook } from "../event-bus.js";
import type { EventType } from "../event-types.js";
import { StepTally, type RunRecord } from "./step-tally.js";

/** Options of {@link createSummaryHook}. */
export interface SummaryHookOptions {
  /** Receives the summary text (headline, then the table). @default console.log */
  write?: (text: string) => void | Promise<void>;
}

/** A finished run as summary text: the headline and, when node events were seen, one line per step. */
export function formatRunRecord(run: RunRecord): string {
  const headline = summaryHeadline(run.pipelineName, run.status, run.durationMs, run.counts);
  if (run.steps.length === 0) return headline;
  const lines: SummaryLine[] = run.steps.map((s) => ({
    step: s.stepName, layer: s.layer, status: s.status, rows: s.rows, durationMs: s.durationMs, attempts: s.attempts, note: s.note,
  }));
  return `${headline}\n${formatSummaryTable(lines)}`;
}

/**
 * A hook that prints a run summary when the run ends: the headline (`customer_pipeline: success in 1.2 s
 * (9 success)`) and a table with one line per step (status, rows, time, tries, why it failed or was skipped),
 * steps in the order their first event came. Register it for every event (`"*"`): it builds the table from
 * the node events; registered only for pipeline_complete and pipeline_error it writes the headline alone.
 * Node events are kept per run id, so runs sharing a bus never mix.
 *
 * @example
 * ```ts
 * bus.registerHook("*", createSummaryHook());
 * bus.registerHook("*", createSummaryHook({ write: (text) => logger.info(text) }));
 * ```
 */
export function createSummaryHook(options: SummaryHookOptions = {}): Hook<EventType> {
  const write = options.write ?? ((text: string) => console.log(text));
  const tally = new StepTally();
  return async function summaryHook(payload, { eventType }) {
    const run = tally.observe(eventType, payload);
    if (run !== undefined) await write(formatRunRecord(run));
  };
}
