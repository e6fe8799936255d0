import { resolve } from "node:path";
import { urlSecrets } from "../../util/mask-url.js";
import { InvalidOptionsError } from "../../errors/linea-error.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import type { LineageSource as Tracker } from "../lineage-source.js";
import { buildOpenLineageEvents } from "./build-openlineage-events.js";
import type { OpenLineageOptions } from "./openlineage-options.js";
import { postOpenLineageEvents, withoutCredentials, type OpenLineagePostSettings } from "./post-openlineage-events.js";
import type { OpenLineageRunEvent } from "./openlineage-types.js";

/** An OpenLineage HTTP endpoint such as Marquez's. */
export interface OpenLineageHttpTarget {
  /** The server, e.g. `http://localhost:5000`. */
  readonly url: string;
  /** Resolved against `url` as a browser would (a leading `/` replaces url's path). @default "/api/v1/lineage" */
  readonly endpoint?: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>`; never shown in errors. Without it, a user and password
   * written into `url` are sent as Basic authentication (and never shown either).
   */
  readonly apiKey?: string;
  /** Each request's limit, in milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  /** Retries per event on 429, 5xx, timeouts and network errors. @default 3 */
  readonly maxRetries?: number;
  /** The first backoff between retries, doubled each time, unless the server sends `Retry-After`. @default 500 */
  readonly retryDelayMs?: number;
  /** Aborts the export: nothing more is sent or retried. */
  readonly signal?: AbortSignal;
}

/** Where `exportOpenLineage` sends events: a file path (JSON Lines) or an HTTP endpoint. */
export type OpenLineageTarget = string | OpenLineageHttpTarget;

/** What an export did, keyed on `kind`. */
export type OpenLineageExportSummary =
  | { readonly kind: "file"; readonly events: number; /** Absolute. */ readonly path: string }
  | {
      readonly kind: "http";
      readonly events: number;
      /** The endpoint, without credentials. */
      readonly url: string;
      /** Requests made, retries included. */
      readonly requests: number;
    };

export const DEFAULT_OPENLINEAGE_ENDPOINT = "/api/v1/lineage";

function wholeNumber(option: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidOptionsError(option, `Expected \`${option}\` to be a whole number from ${min} and up, got \`${String(value)}\`.`);
  }
  return value;
}

function endpointUrl(target: OpenLineageHttpTarget): URL {
  let url: URL | undefined;
  try {
    url = new URL(target.endpoint ?? DEFAULT_OPENLINEAGE_ENDPOINT, target.url);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    const given = url === undefined ? String(target.url) : withoutCredentials(new URL(target.url)).href;
    throw new InvalidOptionsError("url", `Expected \`url\` to be an http(s) URL such as http://localhost:5000, got ${JSON.stringify(given)}.`);
  }
  return url;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The Authorization header: the API key as a bearer token, else the URL's user and password as Basic. */
function authorization(url: URL, apiKey: string | undefined): { authorization: string | undefined; secrets: string[] } {
  const user = decoded(url.username);
  const password = decoded(url.password);
  const basic = user === "" && password === "" ? undefined : Buffer.from(`${user}:${password}`).toString("base64");
  const secrets = [apiKey ?? "", password, url.password, basic ?? "", ...urlSecrets(url)].filter((s) => s !== "");
  if (apiKey !== undefined && apiKey !== "") return { authorization: `Bearer ${apiKey}`, secrets };
  return { authorization: basic === undefined ? undefined : `Basic ${basic}`, secrets };
}

/** Checks an HTTP target and fills in its defaults. */
export function httpSettings(target: OpenLineageHttpTarget): OpenLineagePostSettings {
  const url = endpointUrl(target);
  return {
    url: withoutCredentials(url),
    ...authorization(url, target.apiKey),
    timeoutMs: wholeNumber("timeoutMs", target.timeoutMs, 10_000, 1),
    maxRetries: wholeNumber("maxRetries", target.maxRetries, 3, 0),
    retryDelayMs: wholeNumber("retryDelayMs", target.retryDelayMs, 500, 0),
    signal: target.signal,
  };
}

/** The events as JSON Lines: one event per line, each line a complete JSON document. */
export function toJsonLines(events: readonly OpenLineageRunEvent[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join("");
}

/**
 * Exports a run's OpenLineage events (see {@link buildOpenLineageEvents}) once the tracker has settled:
 * to a file as JSON Lines, written atomically (a reader never sees half a file), or to an HTTP endpoint,
 * one POST per event in order, the way Marquez receives them, with retries (see `OpenLineageHttpTarget`).
 * A failed POST rejects with an `OpenLineageExportError` that says how many events were sent.
 *
 * @example
 * await exportOpenLineage(result.tracker, "lineage-out/run.openlineage.jsonl");
 * await exportOpenLineage(result.tracker, { url: "http://localhost:5000", apiKey: process.env.MARQUEZ_API_KEY });
 */
export async function exportOpenLineage(tracker: Tracker, target: OpenLineageTarget, options: OpenLineageOptions = {}): Promise<OpenLineageExportSummary> {
  if (typeof target !== "string" && (typeof target !== "object" || target === null || typeof target.url !== "string")) {
    throw new InvalidOptionsError("target", "Expected a file path or `{ url }` to export OpenLineage events to.");
  }
  if (typeof target === "string") {
    await tracker.settled();
    const path = resolve(target);
    const events = buildOpenLineageEvents(tracker, options);
    await writeFileAtomic(path, toJsonLines(events));
    return { kind: "file", events: events.length, path };
  }
  const settings = httpSettings(target);
  await tracker.settled();
  const report = await postOpenLineageEvents(buildOpenLineageEvents(tracker, options), settings);
  return { kind: "http", events: report.sent, url: settings.url.href, requests: report.requests };
}
