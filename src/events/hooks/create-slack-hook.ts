import { InvalidOptionsError } from "../../errors/linea-error.js";
import { q } from "../../util/quote.js";
import type { Hook } from "../event-bus.js";
import { EVENT_TYPES, type EventType } from "../event-types.js";
import { postSlackWebhook, type SlackPostSettings } from "./post-slack-webhook.js";
import { slackMessage } from "./slack-message.js";

/** Options of {@link createSlackHook}. */
export interface SlackHookOptions {
  /** The incoming-webhook URL. It is a secret: linea never prints or logs it. @default process.env.SLACK_WEBHOOK_URL */
  webhookUrl?: string;
  /** The events to post; others the hook receives are ignored. @default every event the hook is registered for */
  events?: readonly EventType[];
  /** Overrides the webhook's display name (legacy webhooks only). */
  username?: string;
  /** Overrides the webhook's channel (legacy webhooks only). */
  channel?: string;
  /** Retries after a 429, a 5xx, a timeout or a network error. @default 3 */
  maxRetries?: number;
  /** The first wait between attempts when Slack sends no `Retry-After`; it doubles each retry. @default 1000 */
  retryDelayMs?: number;
  /** Each request's time limit. @default 5000 */
  timeoutMs?: number;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
}

function webhookUrl(given: string | undefined): URL {
  const raw = given ?? process.env.SLACK_WEBHOOK_URL;
  if (raw === undefined || raw.trim() === "") {
    throw new InvalidOptionsError("webhookUrl", "createSlackHook needs a Slack incoming-webhook URL: pass { webhookUrl } or set the SLACK_WEBHOOK_URL environment variable.");
  }
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    // The message must not repeat the value: it may be a mistyped secret.
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new InvalidOptionsError("webhookUrl", "The Slack webhook URL is not an http(s) URL; copy it again from the Slack app's Incoming Webhooks page.");
  }
  return url;
}

function count(option: string, value: number | undefined, fallback: number, min: number): number {
  const n = value ?? fallback;
  if (!(Number.isInteger(n) && n >= min)) {
    throw new InvalidOptionsError(option, `Expected \`${option}\` to be an integer from ${min} up, got \`${String(n)}\``);
  }
  return n;
}

function eventFilter(events: readonly EventType[] | undefined): ReadonlySet<EventType> | undefined {
  if (events === undefined) return undefined;
  const unknown = events.filter((e) => !(EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0) {
    throw new InvalidOptionsError("events", `Unknown event type ${unknown.map(q).join(", ")} in \`events\`. Use some of ${EVENT_TYPES.join(", ")}.`);
  }
  return new Set(events);
}

/**
 * A hook that posts events to a Slack incoming webhook: Block Kit blocks (a header saying what happened;
 * the pipeline, step, run id and duration; the error) and a one-line `text` fallback. It retries on 429 and
 * 5xx (waiting what `Retry-After` asks), on timeouts and network errors; a failure after the last attempt
 * throws, which the EventBus reports as a warning and a `hook_error` event, without the URL.
 *
 * Retries take time: give the registration a `timeoutMs` that covers them (the bus's default is 10 s), or
 * the bus abandons the hook (and aborts its request) when it passes.
 *
 * @example
 * ```ts
 * bus.registerHook(["node_error", "pipeline_error"], createSlackHook(), EventPriority.CRITICAL, { timeoutMs: 30_000 });
 * ```
 * @throws InvalidOptionsError when there is no URL (neither `webhookUrl` nor SLACK_WEBHOOK_URL) or an option is malformed.
 */
export function createSlackHook(options: SlackHookOptions = {}): Hook<EventType> {
  const url = webhookUrl(options.webhookUrl);
  const only = eventFilter(options.events);
  const settings: SlackPostSettings = {
    fetch: options.fetch ?? globalThis.fetch,
    maxRetries: count("maxRetries", options.maxRetries, 3, 0),
    retryDelayMs: count("retryDelayMs", options.retryDelayMs, 1000, 0),
    timeoutMs: count("timeoutMs", options.timeoutMs, 5000, 1),
  };
  const extra = { username: options.username, channel: options.channel };
  return async function slackHook(payload, { eventType, signal }) {
    if (only !== undefined && !only.has(eventType)) return;
    const body = JSON.stringify(slackMessage(eventType, payload, extra));
    await postSlackWebhook(url, body, settings, signal);
  };
}
