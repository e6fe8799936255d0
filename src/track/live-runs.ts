import type { LineageSource } from "./lineage-source.js";

/** The trackers of the runs under way in this process, by run id. */
const live = new Map<string, LineageSource>();

/**
 * Makes a run's tracker findable by its run id while the run goes (what a hook that only receives event
 * payloads, such as the live OpenLineage hook, needs to build documents from). Returns the function that
 * forgets it again.
 */
export function registerLiveRun(runId: string, source: LineageSource): () => void {
  live.set(runId, source);
  return () => {
    if (live.get(runId) === source) live.delete(runId);
  };
}

/** The tracker of the run under way with this id; undefined once the run has ended (or for another process's). */
export function liveRun(runId: string): LineageSource | undefined {
  return live.get(runId);
}
