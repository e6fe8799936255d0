import { Orchestrator, type Step, type StepExecution } from "../../../src/index.js";
import type { HtmlReportSource } from "../../../src/track/html/report-context.js";
import { fakeRun, record } from "./fake-run.js";

const run = (): never[] => [];
const SOURCES = ["raw_orders_2024", "raw_customers_crm_export", "raw_products", "raw_web_sessions"];

/**
 * A 50-step pipeline of the shapes real ones have: four source datasets read by eight ingest steps, fan-out
 * into twelve cleaning steps, ten joins of two or three inputs each, a chain of eight aggregates, and
 * twelve reports fanning out of the chain; long names, and edges that carry two datasets.
 */
export function fiftySteps(): Step[] {
  const steps: Step[] = [];
  const sources = SOURCES;
  for (let i = 0; i < 8; i++) {
    const source = sources[i % 4] as string;
    steps.push({ layer: "ingest", name: `ingest_${source.slice(4)}_${i}`, inputs: [source], outputs: [`staged_${i}`, `rejects_${i}`], run });
  }
  for (let i = 0; i < 12; i++) {
    const from = i % 8;
    steps.push({ layer: "clean", name: `clean_and_deduplicate_${i}`, inputs: i < 8 ? [`staged_${from}`, `rejects_${from}`] : [`staged_${from}`], outputs: [`clean_${i}`], run });
  }
  for (let i = 0; i < 10; i++) {
    const inputs = [`clean_${i}`, `clean_${(i + 3) % 12}`, ...(i % 3 === 0 ? [`clean_${(i + 7) % 12}`] : [])];
    steps.push({ layer: "join", name: `join_customer_orders_${i}`, inputs, outputs: [`joined_${i}`], run });
  }
  for (let i = 0; i < 8; i++) {
    const inputs = i === 0 ? ["joined_0", "joined_1", "joined_2"] : [`aggregate_${i - 1}`, `joined_${i + 2}`];
    steps.push({ layer: "aggregate", name: `aggregate_revenue_by_segment_${i}`, inputs, outputs: [`aggregate_${i}`], run });
  }
  for (let i = 0; i < 12; i++) {
    steps.push({ layer: "report", name: `publish_dashboard_extract_${i}`, inputs: [`aggregate_${i % 8}`], outputs: [`dashboard_${i}`], run });
  }
  return steps;
}

const STATUSES = ["success", "success", "success", "cached", "failed", "skipped"] as const;

/** The report source of a run of {@link fiftySteps}: the real plan, step records of every status. */
export function fiftyStepRun(): HtmlReportSource {
  const steps = fiftySteps();
  const plan = new Orchestrator({ name: "fifty", steps }).plan({ sources: SOURCES });
  const records: StepExecution[] = plan.order.map((name, i) => {
    const step = steps.find((s) => s.name === name) as Step;
    const status = STATUSES[i % STATUSES.length] as (typeof STATUSES)[number];
    return record(name, { layer: step.layer, status, cached: status === "cached", outputs: [...(step.outputs ?? [])] });
  });
  return { ...fakeRun(records), pipelineName: "fifty", plan };
}
