import { assertNever } from "../../util/assert-never.js";
import { formatDuration } from "../../util/text-table.js";
import type { EventPayloads, EventType } from "../event-types.js";

/** A Slack text object. */
export interface SlackText {
  readonly type: "plain_text" | "mrkdwn";
  readonly text: string;
  readonly emoji?: boolean;
}

/** The Block Kit blocks linea sends. */
export type SlackBlock =
  | { readonly type: "header"; readonly text: SlackText }
  | { readonly type: "section"; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: "context"; readonly elements: readonly SlackText[] };

/** The body of an incoming-webhook POST: `text` is the fallback for notifications and old clients. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  readonly username?: string;
  readonly channel?: string;
}

// Block Kit limits: header text 150 characters, a field 2000, a section's text 3000.
const HEADER_MAX = 150;
const FIELD_MAX = 2000;
const ERROR_MAX = 2800;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes `text` for mrkdwn and clips it so that the escaped text, "…" included, is at most `max`
 * characters: escaping grows the text (`<` becomes `&lt;`), so clipping first could pass Block Kit's
 * limits, and clipping after could cut an entity in half.
 */
export function escapeWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = "";
  for (const char of text) {
    const piece = ENTITIES[char] ?? char;
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

type AnyPayload = EventPayloads[EventType];

/** The one-line headline of an event: `❌ Step enrich failed`. */
export function slackTitle(type: EventType, payload: AnyPayload): string {
  const p = payload as Partial<EventPayloads["node_retry"] & EventPayloads["node_skipped"] & EventPayloads["hook_error"]>;
  const step = `Step ${p.stepName ?? "?"}`;
  switch (type) {
    case "pipeline_start": return `▶️ ${payload.pipelineName} started`;
    case "node_start": return `▶️ ${step} started`;
    case "node_retry": return `🔁 ${step} failed attempt ${p.attempt}, retrying`;
    case "node_complete": return `✅ ${step} succeeded`;
    case "node_cached": return `📦 ${step} reused from the cache`;
    case "node_error": return `❌ ${step} failed`;
    case "node_skipped": return `⏭️ ${step} skipped (${p.kind === "blocked" ? `blocked by ${p.blockedBy}` : p.statusReason})`;
    case "pipeline_complete": return `✅ ${payload.pipelineName} succeeded`;
    case "pipeline_error": return `❌ ${payload.pipelineName} failed`;
    case "hook_error": return `⚠️ Hook ${p.hookName} failed on ${p.eventType}`;
    default: return assertNever(type, "event type");
  }
}

interface Facts {
  readonly pipeline: string;
  readonly step: string | undefined;
  readonly runId: string;
  readonly duration: string | undefined;
  readonly error: string | undefined;
}

function factsOf(payload: AnyPayload): Facts {
  const p = payload as Partial<EventPayloads["node_error"]> & AnyPayload;
  return {
    pipeline: p.pipelineName, step: p.stepName, runId: p.runId,
    duration: typeof p.durationMs === "number" ? formatDuration(p.durationMs) : undefined,
    error: p.errorMessage,
  };
}

function fallbackText(title: string, f: Facts): string {
  const parts = [`pipeline ${f.pipeline}`, ...(f.step ? [`step ${f.step}`] : []), `run ${f.runId}`, ...(f.duration ? [`duration ${f.duration}`] : [])];
  return escapeWithin(`${title} (${parts.join(", ")})${f.error ? `: ${f.error}` : ""}`, ERROR_MAX);
}

function blocksOf(title: string, f: Facts, timestamp: string): SlackBlock[] {
  const field = (label: string, value: string): SlackText => ({ type: "mrkdwn", text: `*${label}*\n${escapeWithin(value, FIELD_MAX - label.length - 3)}` });
  const fields = [
    field("Pipeline", f.pipeline),
    ...(f.step ? [field("Step", f.step)] : []),
    field("Run id", f.runId),
    ...(f.duration ? [field("Duration", f.duration)] : []),
  ];
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: clip(title, HEADER_MAX), emoji: true } },
    { type: "section", fields },
  ];
  if (f.error) blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Error*\n\`\`\`${escapeWithin(f.error, ERROR_MAX)}\`\`\`` } });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `linea · ${timestamp}` }] });
  return blocks;
}

/**
 * The Slack message of an event: a header (what happened), a section with the pipeline, step, run id and
 * duration, the error in a code block when there is one, and a `text` fallback that says the same in one line.
 */
export function slackMessage(type: EventType, payload: AnyPayload, extra: { username?: string; channel?: string } = {}): SlackMessage {
  const title = slackTitle(type, payload);
  const facts = factsOf(payload);
  return {
    text: fallbackText(title, facts),
    blocks: blocksOf(title, facts, payload.timestamp),
    ...(extra.username ? { username: extra.username } : {}),
    ...(extra.channel ? { channel: extra.channel } : {}),
  };
}
