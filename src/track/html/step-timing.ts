import { formatDuration } from "../../util/text-table.js";
import type { StepExecution, TrackedAttempt } from "../step-execution.js";
import { dataTable } from "./data-table.js";
import { factList } from "./fact-list.js";
import { html, type SafeHtml } from "./safe-html.js";

function attemptLog(log: readonly TrackedAttempt[]): SafeHtml | undefined {
  if (log.length === 0) return undefined;
  const rows = log.map((a) => [
    a.attempt,
    html`<span class="outcome outcome-${a.outcome}">${a.outcome}</span>`,
    a.errorMessage === undefined ? "" : html`<span class="error-text">${a.errorMessage}</span>`,
    a.retryDelayMs === undefined ? "" : formatDuration(a.retryDelayMs),
  ]);
  return dataTable(["attempt", "outcome", "error", "retry after"], rows, { className: "data attempts", numeric: [0] });
}

/** When a step ran, for how long, how many attempts it took, and the log of those attempts. */
export function stepTiming(step: StepExecution): SafeHtml {
  const facts = factList([
    ["start", step.startTime === undefined ? "—" : html`<time datetime="${step.startTime}">${step.startTime}</time>`],
    ["end", step.endTime === undefined ? "—" : html`<time datetime="${step.endTime}">${step.endTime}</time>`],
    ["duration", formatDuration(step.durationMs)],
    ["attempts", step.attempts],
    ["cached", step.cached ? "yes" : "no"],
    ["cache key", step.cacheKey === undefined ? undefined : html`<code>${step.cacheKey}</code>`],
  ]);
  return html`<h4>Timing</h4>${facts}${attemptLog(step.attemptLog)}`;
}
