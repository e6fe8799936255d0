import { assertNever } from "../../util/assert-never.js";
import { maskSecrets, urlSecrets } from "../../util/mask-url.js";
import { sleep } from "../../util/sleep.js";
import { SlackWebhookError } from "./slack-webhook-error.js";
import { MAX_BACKOFF_MS, parseRetryAfter } from "../../util/retry-after.js";

/** How {@link postSlackWebhook} sends and retries. */
export interface SlackPostSettings {
  readonly fetch: typeof globalThis.fetch;
  readonly maxRetries: number;
  /** The first backoff; it doubles each retry, capped at {@link MAX_BACKOFF_MS}. */
  readonly retryDelayMs: number;
  /** Each request's limit. */
  readonly timeoutMs: number;
}

type AttemptOutcome =
  | { readonly kind: "delivered" }
  | { readonly kind: "status"; readonly status: number; readonly body: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: "timeout" }
  | { readonly kind: "network"; readonly reason: string };

/**
 * Replaces every occurrence of the secret URL (and its path, which holds the token) in `text`, then each
 * token-like part of it (a path segment, a password, a credential in the query) that a server may echo alone.
 */
export function redact(text: string, url: URL): string {
  let out = text;
  for (const secret of [url.href, url.href.replace(/\/$/, ""), `${url.pathname}${url.search}`, url.pathname]) {
    if (secret.length > 1) out = out.split(secret).join("[webhook url]");
  }
  return maskSecrets(out, urlSecrets(url));
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  return error instanceof Error ? error.name : "unknown error";
}

async function attempt(url: URL, body: string, settings: SlackPostSettings, signal: AbortSignal): Promise<AttemptOutcome> {
  try {
    const response = await settings.fetch(url, {
      method: "POST", headers: { "content-type": "application/json" }, body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]),
    });
    const text = await response.text();
    if (response.ok) return { kind: "delivered" };
    return { kind: "status", status: response.status, body: text.slice(0, 200), retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if ((error as Error | undefined)?.name === "TimeoutError") return { kind: "timeout" };
    return { kind: "network", reason: networkReason(error) };
  }
}

function retryable(outcome: Exclude<AttemptOutcome, { kind: "delivered" }>): boolean {
  return outcome.kind !== "status" || outcome.status === 429 || outcome.status >= 500;
}

function failure(outcome: Exclude<AttemptOutcome, { kind: "delivered" }>, attempts: number, settings: SlackPostSettings, url: URL): SlackWebhookError {
  const after = `after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
  switch (outcome.kind) {
    case "status": {
      const detail = outcome.body.trim() ? `: ${redact(outcome.body.trim(), url)}` : "";
      return new SlackWebhookError(`Slack webhook returned ${outcome.status} ${after}${detail}`, { status: outcome.status, attempts });
    }
    case "timeout":
      return new SlackWebhookError(`Slack webhook did not answer within ${settings.timeoutMs} ms ${after}`, { status: undefined, attempts });
    case "network":
      return new SlackWebhookError(`Slack webhook request failed ${after}: ${redact(outcome.reason, url)}`, { status: undefined, attempts });
    default:
      return assertNever(outcome, "attempt outcome");
  }
}

/**
 * POSTs `body` to the webhook; retries on 429, 5xx, timeouts and network errors, waiting what
 * `Retry-After` asks or else a doubling backoff; other statuses fail at once. Rejects with a
 * {@link SlackWebhookError} that never contains the URL, or with `signal`'s reason once it aborts.
 */
export async function postSlackWebhook(url: URL, body: string, settings: SlackPostSettings, signal: AbortSignal): Promise<void> {
  for (let n = 1; ; n++) {
    const outcome = await attempt(url, body, settings, signal);
    if (outcome.kind === "delivered") return;
    if (!retryable(outcome) || n > settings.maxRetries) throw failure(outcome, n, settings, url);
    const backoff = Math.min(settings.retryDelayMs * 2 ** (n - 1), MAX_BACKOFF_MS);
    const retryAfter = outcome.kind === "status" ? outcome.retryAfterMs : undefined;
    await sleep(Math.min(retryAfter ?? backoff, MAX_BACKOFF_MS), signal);
  }
}
