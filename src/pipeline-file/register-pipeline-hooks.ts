import type { EventBus } from "../events/event-bus.js";
import { EventPriority } from "../events/event-priority.js";
import { createOpenLineageHook, openLineageHookOptionsFromEnv } from "../track/openlineage/create-openlineage-hook.js";

/**
 * Registers on `bus` the hooks a pipeline run from the command line gets without code: a live OpenLineage
 * hook when `OPENLINEAGE_URL` is set (OpenLineage's client conventions). Returns the names registered.
 */
export function registerPipelineHooks(bus: EventBus, env: Readonly<Record<string, string | undefined>>): string[] {
  const names: string[] = [];
  const openLineage = openLineageHookOptionsFromEnv(env);
  if (openLineage !== undefined) names.push(bus.registerHook("*", createOpenLineageHook(openLineage), EventPriority.LOW, { name: "openlineage" }).name);
  return names;
}
