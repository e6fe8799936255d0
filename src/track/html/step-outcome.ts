import type { StatusReason } from "../../execute/node-result.js";
import { assertNever } from "../../util/assert-never.js";
import type { StepExecution } from "../step-execution.js";
import { stepAnchor, type ReportContext } from "./report-context.js";
import { html, type SafeHtml } from "./safe-html.js";

function reasonText(reason: StatusReason): string {
  switch (reason) {
    case "upstream_failed": return "an upstream step failed";
    case "fail_fast_abort": return "an earlier failure stopped the run (fail-fast) before this step started";
    case "interrupted": return "the run was interrupted";
    default: return assertNever(reason, "status reason");
  }
}

function blockedBy(name: string, ctx: ReportContext): SafeHtml {
  const index = ctx.indexOf.get(name);
  return index === undefined ? html`<code>${name}</code>` : html`<a href="#${stepAnchor(index)}"><code>${name}</code></a>`;
}

function skippedWhy(step: StepExecution, ctx: ReportContext): SafeHtml {
  if (step.blockedBy !== undefined) {
    return html`<p class="why">Blocked by ${blockedBy(step.blockedBy, ctx)}: ${reasonText(step.statusReason ?? "upstream_failed")}.</p>`;
  }
  return html`<p class="why">Not started: ${reasonText(step.statusReason ?? "fail_fast_abort")}.</p>`;
}

/** Why a step ended as it did: what blocked it, why the run aborted it, or the error it failed with. */
export function stepOutcome(step: StepExecution, ctx: ReportContext): SafeHtml | undefined {
  if (step.status === "skipped") return skippedWhy(step, ctx);
  if (step.status !== "failed") return undefined;
  const reason = step.statusReason === undefined ? undefined : html`<p class="why">Failed: ${reasonText(step.statusReason)}.</p>`;
  return html`${reason}<pre class="error">${step.errorMessage ?? "(no error message)"}</pre>`;
}
