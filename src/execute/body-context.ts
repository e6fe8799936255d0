import type { BodyContext } from "../engines/engine.js";
import type { StepSpec } from "../step/step-spec.js";
import { q } from "../util/quote.js";
import type { RunContext } from "./run-context.js";

/** What an engine's body gets from the run: the step, its inputs from the data map, the run's engines. */
export function bodyContext(spec: StepSpec, rc: RunContext, attempt: number, signal: AbortSignal): BodyContext {
  const dag = rc.planned.dag;
  return {
    spec, attempt, signal, baseDir: rc.settings.baseDir, runtime: rc.runtime,
    input: (dataset) => {
      const handle = rc.dataMap.handle(dataset);
      if (handle === undefined) {
        throw new Error(`input ${q(dataset)} of step ${q(spec.name)} is not in the data map (a bug in linea's scheduler)`);
      }
      return handle;
    },
    isDataset: (name) => dag.producerOf.has(name) || dag.sources.includes(name),
  };
}
