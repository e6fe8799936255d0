// Run summaries are formatted by the shared run model (src/model/format-run-summary.ts); this module keeps the names where they were.
export { formatSummaryTable, summaryHeadline } from "../model/format-run-summary.js";
export type { SummaryLine } from "../model/format-run-summary.js";
