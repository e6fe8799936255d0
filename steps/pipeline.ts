// The example pipeline: ingest three CSV exports, clean, join and aggregate them in DuckDB, compute
// shares with danfo.js, and store the results. `linea run steps/pipeline.ts` runs it.
import type { Step } from "linea";
import { ingestSteps } from "./ingest.js";
import { storeSteps } from "./store.js";
import { transformSteps } from "./transform.js";

export const name = "customer_pipeline";

/** The pipeline's steps, reading from `dataDir` and writing to `outDir`. */
export function pipelineSteps(options: { dataDir?: string; outDir?: string } = {}): Step[] {
  return [...ingestSteps(options.dataDir), ...transformSteps, ...storeSteps(options.outDir)];
}

export const steps: Step[] = pipelineSteps();
