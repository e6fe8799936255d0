import { formatDuration } from "../../util/text-table.js";
import { factList } from "./fact-list.js";
import type { ReportContext } from "./report-context.js";
import { REPORT_STATUSES, STATUS_LABELS, statusClass, type ReportStatus } from "./report-status.js";
import { html, type SafeHtml } from "./safe-html.js";

/** How many steps ended in each report status, in the order of {@link REPORT_STATUSES}. */
export function statusCounts(ctx: ReportContext): Map<ReportStatus, number> {
  const counts = new Map<ReportStatus, number>(REPORT_STATUSES.map((s) => [s, 0]));
  for (const status of ctx.statusOf.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
  return counts;
}

function countBadges(ctx: ReportContext): SafeHtml {
  const shown = [...statusCounts(ctx)].filter(([, n]) => n > 0);
  return html`<ul class="counts">${shown.map(([status, n]) => html`<li class="badge ${statusClass(status)}">${n} ${STATUS_LABELS[status]}</li>`)}</ul>`;
}

const runStatusClass = (status: string): string => (status === "success" ? "status-success" : status === "failed" ? "status-failed" : "status-running");

const time = (iso: string | undefined): SafeHtml => (iso === undefined ? html`—` : html`<time datetime="${iso}">${iso}</time>`);

/** The report's header: the pipeline, the run's ids, status, start, end and duration, and its steps counted by status. */
export function reportHeader(ctx: ReportContext): SafeHtml {
  const run = ctx.source;
  const facts = factList([
    ["run id", html`<code>${run.runId}</code>`],
    ["batch run id", html`<code>${run.batchRunId}</code>`],
    ["attempt", run.runAttempt > 1 ? run.runAttempt : undefined],
    ["status", html`<span class="badge ${runStatusClass(run.status)}">${run.status}</span>`],
    ["start", time(run.startTime)],
    ["end", time(run.endTime)],
    ["duration", formatDuration(run.durationMs)],
    ["steps", html`${ctx.steps.length} ${countBadges(ctx)}`],
    ["redacted columns", run.redactedColumns.length === 0 ? undefined : run.redactedColumns.join(", ")],
  ]);
  return html`<header><p class="kicker">linea run report</p><h1>${run.pipelineName}</h1>${facts}</header>`;
}
