import { formatDuration } from "../../util/text-table.js";
import type { StepExecution } from "../step-execution.js";
import { stepAnchor, type ReportContext } from "./report-context.js";
import { reportStatusOf, STATUS_LABELS, statusClass } from "./report-status.js";
import { html, type SafeHtml } from "./safe-html.js";
import { stepBody } from "./step-body.js";
import { stepChanges } from "./step-changes.js";
import { stepChecks } from "./step-checks.js";
import { stepColumnLineage } from "./step-column-lineage.js";
import { stepOutcome } from "./step-outcome.js";
import { stepSnapshots } from "./step-snapshots.js";
import { stepTiming } from "./step-timing.js";

function summary(step: StepExecution): SafeHtml {
  const status = reportStatusOf(step);
  const failing = step.checks.filter((c) => c.status !== "pass").length;
  return html`<summary><span class="badge ${statusClass(status)}">${STATUS_LABELS[status]}</span> <span class="step-name">${step.stepName}</span>${
    step.layer === undefined ? "" : html` <span class="layer">${step.layer}</span>`
  }${step.startTime === undefined ? "" : html` <span class="duration">${formatDuration(step.durationMs)}</span>`}${
    failing > 0 && html` <span class="check-flag">${failing} check${failing === 1 ? "" : "s"} not passed</span>`
  }</summary>`;
}

/**
 * A step's collapsible panel, anchored at `#step-<index>`: why it ended as it did, its timing and attempts,
 * its body, its before and after snapshots, schema diff and row delta, and its checks. Failed steps open.
 */
export function stepPanel(step: StepExecution, index: number, ctx: ReportContext): SafeHtml {
  const status = reportStatusOf(step);
  const open = status === "failed" ? html` open` : "";
  return html`<details class="step ${statusClass(status)}" id="${stepAnchor(index)}"${open}>
${summary(step)}
<div class="panel">
${stepOutcome(step, ctx)}
<div class="columns"><section>${stepTiming(step)}</section><section>${stepBody(step)}</section></div>
${stepSnapshots(step)}
${stepChanges(step)}
${stepChecks(step.checks)}
${stepColumnLineage(step)}
</div>
</details>`;
}
