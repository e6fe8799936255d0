import { assertNever } from "../../util/assert-never.js";
import { maskUrl } from "../../util/mask-url.js";
import { sleep } from "../../util/sleep.js";
import { OpenLineageExportError } from "./openlineage-export-error.js";
import type { OpenLineageRunEvent } from "./openlineage-types.js";
import { MAX_BACKOFF_MS, parseRetryAfter } from "../../util/retry-after.js";

/** How {@link postOpenLineageEvents} sends and retries. */
export interface OpenLineagePostSettings {
  /** The full endpoint URL, without credentials, e.g. `http://localhost:5000/api/v1/lineage`. */
  readonly url: URL;
  /** The `Authorization` header, if any. */
  readonly authorization: string | undefined;
  /** Texts never to show in an error (the API key, a password). */
  readonly secrets: readonly string[];
  /** Each request's limit. */
  readonly timeoutMs: number;
  /** Retries per event after the first attempt. */
  readonly maxRetries: number;
  /** The first backoff; it doubles with each retry, capped at {@link MAX_OPENLINEAGE_BACKOFF_MS}. */
  readonly retryDelayMs: number;
  readonly signal: AbortSignal | undefined;
}

/** What {@link postOpenLineageEvents} did. */
export interface OpenLineagePostReport {
  /** Events accepted. */
  readonly sent: number;
  /** Requests made, retries included. */
  readonly requests: number;
}

/** The longest wait between attempts, whatever `Retry-After` asks. */
export const MAX_OPENLINEAGE_BACKOFF_MS = 60_000;

type Outcome =
  | { readonly kind: "accepted" }
  | { readonly kind: "status"; readonly status: number; readonly body: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: "timeout" }
  | { readonly kind: "network"; readonly reason: string };
type Failure = Exclude<Outcome, { kind: "accepted" }>;

/** The URL without user name and password, which `fetch` refuses and errors must not show. */
export function withoutCredentials(url: URL): URL {
  const bare = new URL(url.href);
  bare.username = "";
  bare.password = "";
  return bare;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  return error instanceof Error ? error.message : String(error);
}

async function attempt(body: string, s: OpenLineagePostSettings): Promise<Outcome> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (s.authorization !== undefined) headers.authorization = s.authorization;
  const signals = [AbortSignal.timeout(s.timeoutMs), ...(s.signal ? [s.signal] : [])];
  try {
    const response = await fetch(s.url, { method: "POST", headers, body, signal: AbortSignal.any(signals) });
    const text = await response.text().catch(() => "");
    if (response.ok) return { kind: "accepted" };
    return { kind: "status", status: response.status, body: text.slice(0, 200), retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) };
  } catch (error) {
    if (s.signal?.aborted) throw s.signal.reason;
    if ((error as Error | undefined)?.name === "TimeoutError") return { kind: "timeout" };
    return { kind: "network", reason: networkReason(error) };
  }
}

/** 429, 5xx, timeouts and network errors may pass on a later try; any other status will not. */
function retryable(outcome: Failure): boolean {
  return outcome.kind !== "status" || outcome.status === 429 || outcome.status >= 500;
}

function hideSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret === "" ? out : out.split(secret).join("[secret]")), text);
}

function failure(outcome: Failure, s: OpenLineagePostSettings, event: OpenLineageRunEvent, progress: { sent: number; total: number; attempts: number }): OpenLineageExportError {
  const url = maskUrl(s.url.href);
  const which = `event ${progress.sent + 1} of ${progress.total} (${event.eventType} of job "${event.job.name}")`;
  const after = `after ${progress.attempts} attempt${progress.attempts === 1 ? "" : "s"}`;
  const sent = `${progress.sent} of ${progress.total} events were sent`;
  const fields = { url, sent: progress.sent, total: progress.total, attempts: progress.attempts };
  switch (outcome.kind) {
    case "status": {
      const detail = outcome.body.trim() === "" ? "" : ` The endpoint said: ${hideSecrets(outcome.body.trim(), s.secrets)}`;
      const fix = retryable(outcome) ? "Check that the endpoint is up, then export again." : "The endpoint refused the event: check the URL, the API key and the endpoint's logs.";
      return new OpenLineageExportError(`OpenLineage endpoint ${url} returned ${outcome.status} for ${which} ${after}; ${sent}.${detail} ${fix}`, { ...fields, status: outcome.status });
    }
    case "timeout":
      return new OpenLineageExportError(`OpenLineage endpoint ${url} did not answer within ${s.timeoutMs} ms for ${which} ${after}; ${sent}. Check that the endpoint is up, or raise timeoutMs.`, { ...fields, status: undefined });
    case "network":
      return new OpenLineageExportError(`OpenLineage endpoint ${url} could not be reached for ${which} ${after} (${hideSecrets(outcome.reason, s.secrets)}); ${sent}. Check the URL and that the endpoint is up.`, { ...fields, status: undefined });
    default:
      return assertNever(outcome, "post outcome");
  }
}

/** Sends one event, retrying what may pass later; returns the requests made. */
async function postOne(event: OpenLineageRunEvent, s: OpenLineagePostSettings, progress: { sent: number; total: number }): Promise<number> {
  const body = JSON.stringify(event);
  for (let n = 1; ; n++) {
    const outcome = await attempt(body, s);
    if (outcome.kind === "accepted") return n;
    if (!retryable(outcome) || n > s.maxRetries) throw failure(outcome, s, event, { ...progress, attempts: n });
    const backoff = s.retryDelayMs * 2 ** (n - 1);
    const retryAfter = outcome.kind === "status" ? outcome.retryAfterMs : undefined;
    await sleep(Math.min(retryAfter ?? backoff, MAX_OPENLINEAGE_BACKOFF_MS), s.signal);
  }
}

/**
 * POSTs each event, in order, as one JSON body, the way Marquez's `POST /api/v1/lineage` receives them;
 * the next event is sent only once the previous one was accepted (a child's START never arrives before
 * its parent's). Retries 429, 5xx, timeouts and network errors, waiting what `Retry-After` asks or else a
 * doubling backoff; other statuses fail at once. Rejects with an {@link OpenLineageExportError} (which
 * never contains the API key), or with `signal`'s reason once it aborts.
 */
export async function postOpenLineageEvents(events: readonly OpenLineageRunEvent[], settings: OpenLineagePostSettings): Promise<OpenLineagePostReport> {
  let requests = 0;
  for (const [index, event] of events.entries()) {
    requests += await postOne(event, settings, { sent: index, total: events.length });
  }
  return { sent: events.length, requests };
}
