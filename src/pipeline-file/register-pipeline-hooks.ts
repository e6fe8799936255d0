import type { EventBus } from "../events/event-bus.js";
import { EventPriority } from "../events/event-priority.js";
import type { EventType } from "../events/event-types.js";
import { createEventLogHook } from "../events/hooks/create-event-log-hook.js";
import { createMetricsExportHook } from "../events/hooks/create-metrics-export-hook.js";
import { createSlackHook } from "../events/hooks/create-slack-hook.js";
import { createOpenLineageHook, openLineageHookOptionsFromEnv } from "../track/openlineage/create-openlineage-hook.js";
import type { PipelineHooks } from "./resolve-pipeline-hooks.js";

/** The events a pipeline file's Slack hook posts unless it lists its own. */
export const DEFAULT_SLACK_EVENTS: readonly EventType[] = ["node_error", "pipeline_error", "pipeline_complete"];

/** The Slack hook retries (429, 5xx): its registration allows for them. */
const SLACK_TIMEOUT_MS = 30_000;

/**
 * Registers on `bus` the hooks a pipeline gets without code: those of its file's `hooks:` section (see
 * `resolvePipelineHooks`), and a live OpenLineage hook when `OPENLINEAGE_URL` is set in `env` and the file
 * configures none (OpenLineage's client conventions). Returns the names registered.
 */
export function registerPipelineHooks(bus: EventBus, hooks: PipelineHooks | undefined, env: Readonly<Record<string, string | undefined>>): string[] {
  const names: string[] = [];
  const add = (events: readonly EventType[] | "*", hook: Parameters<EventBus["registerHook"]>[1], priority: EventPriority, name: string, timeoutMs?: number): void => {
    names.push(bus.registerHook(events, hook, priority, { name, ...(timeoutMs === undefined ? {} : { timeoutMs }) }).name);
  };
  if (hooks?.slack) {
    const { events, ...slack } = hooks.slack;
    add(events ?? DEFAULT_SLACK_EVENTS, createSlackHook(slack), EventPriority.CRITICAL, "slack", SLACK_TIMEOUT_MS);
  }
  if (hooks?.metrics) add("*", createMetricsExportHook(hooks.metrics), EventPriority.MEDIUM, "metrics");
  if (hooks?.eventLog) add(hooks.eventLog.events ?? "*", createEventLogHook({ path: hooks.eventLog.path }), EventPriority.MEDIUM, "event_log");
  const openLineage = hooks?.openLineage ?? openLineageHookOptionsFromEnv(env);
  if (openLineage !== undefined) {
    // Two hooks, so that a server the bus suspends does not cost the file its events.
    const { file, ...live } = openLineage;
    const { url, endpoint, apiKey, timeoutMs, maxRetries, retryDelayMs, ...naming } = live;
    if (url !== undefined) add("*", createOpenLineageHook(live), EventPriority.LOW, "openlineage");
    if (file !== undefined) add("*", createOpenLineageHook({ ...naming, file }), EventPriority.LOW, "openlineage_file");
    void [endpoint, apiKey, timeoutMs, maxRetries, retryDelayMs]; // the file's hook sends nothing
  }
  return names;
}
