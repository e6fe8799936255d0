import { resolve } from "node:path";
import { InvalidOptionsError } from "../../errors/linea-error.js";
import type { Hook } from "../../events/event-bus.js";
import type { EventType } from "../../events/event-types.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import { liveRun } from "../live-runs.js";
import { buildOpenLineageEvents } from "./build-openlineage-events.js";
import { httpSettings, toJsonLines } from "./export-openlineage.js";
import { resolveOpenLineageOptions, type OpenLineageOptions } from "./openlineage-options.js";
import type { OpenLineageRunEvent } from "./openlineage-types.js";
import { OpenLineageExportError } from "./openlineage-export-error.js";
import { postOpenLineageEvents, type OpenLineagePostSettings } from "./post-openlineage-events.js";

/** Options of {@link createOpenLineageHook}: where the events go (`url`, `file`, or both) and how they are named. */
export interface OpenLineageHookOptions extends OpenLineageOptions {
  /** The OpenLineage server (Marquez, say), e.g. `http://localhost:5000`: events are POSTed while the run goes. */
  readonly url?: string;
  /** Resolved against `url`. @default "/api/v1/lineage" */
  readonly endpoint?: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never shown in warnings or errors. */
  readonly apiKey?: string;
  /** Each request's limit in milliseconds (the hook's own timeout on the EventBus bounds it too). @default 5000 */
  readonly timeoutMs?: number;
  /** Retries of a request on 429, 5xx, timeouts and network errors. @default 1 */
  readonly maxRetries?: number;
  /** The first wait between retries, doubled each time. @default 200 */
  readonly retryDelayMs?: number;
  /** A JSON Lines file the run's events are written to (atomically) when it ends. */
  readonly file?: string;
}

/** Environment variables as OpenLineage's clients read them. */
export const OPENLINEAGE_ENV = { url: "OPENLINEAGE_URL", namespace: "OPENLINEAGE_NAMESPACE", apiKey: "OPENLINEAGE_API_KEY" } as const;

/**
 * The hook options OpenLineage's client conventions give: `OPENLINEAGE_URL` (the server), `OPENLINEAGE_NAMESPACE`
 * (the jobs' namespace) and `OPENLINEAGE_API_KEY` (a bearer token). Undefined when `OPENLINEAGE_URL` is not set.
 *
 * @example
 * ```ts
 * const fromEnv = openLineageHookOptionsFromEnv(process.env);
 * if (fromEnv) bus.registerHook("*", createOpenLineageHook(fromEnv), EventPriority.LOW);
 * ```
 */
export function openLineageHookOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): OpenLineageHookOptions | undefined {
  const value = (name: string): string | undefined => (env[name] === undefined || env[name]?.trim() === "" ? undefined : env[name]?.trim());
  const url = value(OPENLINEAGE_ENV.url);
  if (url === undefined) return undefined;
  const namespace = value(OPENLINEAGE_ENV.namespace);
  const apiKey = value(OPENLINEAGE_ENV.apiKey);
  return { url, ...(namespace === undefined ? {} : { namespace }), ...(apiKey === undefined ? {} : { apiKey }) };
}

/** An event's identity: a run has one START and one COMPLETE or FAIL. */
function keyOf(event: OpenLineageRunEvent): string {
  return `${event.eventType} ${event.run.runId}`;
}

const END_EVENTS: ReadonlySet<EventType> = new Set<EventType>(["pipeline_complete", "pipeline_error"]);

/**
 * A hook that sends a run's OpenLineage RunEvents while the run goes: on each event it receives, the events
 * {@link buildOpenLineageEvents} gives for the run so far that were not sent yet (the pipeline's START, each
 * step's START and COMPLETE or FAIL, the pipeline's end) are POSTed in order to `<url>/api/v1/lineage`; with
 * `file`, the run's events are also written there as JSON Lines when it ends. Events that fail to send are
 * sent again with the next delivery. Register it for `"*"`. (A hook the bus suspends gets no more events:
 * to keep the file whatever the server does, register one hook with `url` and another with `file`.)
 *
 * As any hook, it runs on its own queue of the EventBus: a slow or failing server costs the run at most the
 * hook's timeout, after which the bus suspends it for the rest of the run and reports it as a warning (the
 * API key is never in it). It reads the run from its tracker, so it serves runs of this process.
 *
 * @example
 * ```ts
 * bus.registerHook("*", createOpenLineageHook({ url: "http://localhost:5000", namespace: "analytics" }), EventPriority.LOW);
 * ```
 * @throws InvalidOptionsError when neither `url` nor `file` is given, or an option is malformed.
 */
export function createOpenLineageHook(options: OpenLineageHookOptions): Hook<EventType> {
  if ((options?.url === undefined || options.url === "") && (options?.file === undefined || options.file === "")) {
    throw new InvalidOptionsError("url", "createOpenLineageHook needs `url` (an OpenLineage server such as http://localhost:5000), `file` (a JSON Lines file), or both.");
  }
  resolveOpenLineageOptions("pipeline", options); // checks namespace and producer now rather than at the first event
  const naming: OpenLineageOptions = {
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(options.datasetNamespace !== undefined ? { datasetNamespace: options.datasetNamespace } : {}),
    ...(options.producer !== undefined ? { producer: options.producer } : {}),
  };
  const http: OpenLineagePostSettings | undefined = options.url === undefined || options.url === "" ? undefined : httpSettings({
    url: options.url, ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}), ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    timeoutMs: options.timeoutMs ?? 5000, maxRetries: options.maxRetries ?? 1, retryDelayMs: options.retryDelayMs ?? 200,
  });
  const file = options.file === undefined || options.file === "" ? undefined : resolve(options.file);
  const sent = new Map<string, Set<string>>();
  return async function openLineageHook(payload, { eventType, signal }) {
    const runId = payload.runId;
    const source = liveRun(runId);
    if (source === undefined) return;
    await source.settled();
    const events = buildOpenLineageEvents(source, naming);
    const end = END_EVENTS.has(eventType);
    try {
      if (end && file !== undefined) await writeFileAtomic(file, toJsonLines(events));
      if (http === undefined) return;
      let done = sent.get(runId);
      if (done === undefined) sent.set(runId, (done = new Set()));
      const fresh = events.filter((event) => !done.has(keyOf(event)));
      try {
        await postOpenLineageEvents(fresh, { ...http, signal });
        for (const event of fresh) done.add(keyOf(event));
      } catch (error) {
        // Those accepted before the failure are not sent again.
        if (error instanceof OpenLineageExportError) for (const event of fresh.slice(0, error.sent)) done.add(keyOf(event));
        throw error;
      }
    } finally {
      if (end) sent.delete(runId);
    }
  };
}
