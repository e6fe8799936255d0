import { describe, expect, it } from "vitest";
import type { EventPayloads } from "../../../src/index.js";
import { escapeWithin, slackMessage } from "../../../src/events/hooks/slack-message.js";

const BASE = { pipelineName: "p", runId: "run-1", batchRunId: "b", timestamp: "2026-01-01T00:00:00.000Z" };

/** Every text of a message's blocks, with the limit Block Kit sets on it. */
function texts(message: ReturnType<typeof slackMessage>): Array<{ text: string; max: number }> {
  const out: Array<{ text: string; max: number }> = [];
  for (const block of message.blocks) {
    if (block.type === "header") out.push({ text: block.text.text, max: 150 });
    if (block.type === "section") {
      if (block.text) out.push({ text: block.text.text, max: 3000 });
      for (const field of block.fields ?? []) out.push({ text: field.text, max: 2000 });
    }
  }
  return out;
}

describe("Slack messages stay within Block Kit's limits after escaping", () => {
  it("an error full of < and & (escaped five times longer) stays under 3,000 characters per section", () => {
    const payload: EventPayloads["node_error"] = {
      ...BASE, stepName: "s".repeat(3000), layer: undefined, errorMessage: "<&>".repeat(2000), retryCount: 0, attempts: 1, durationMs: 5,
    } as unknown as EventPayloads["node_error"];
    const message = slackMessage("node_error", payload);
    for (const { text, max } of texts(message)) expect(text.length).toBeLessThanOrEqual(max);
    const error = texts(message).find((t) => t.text.startsWith("*Error*"))?.text ?? "";
    expect(error).toMatch(/^\*Error\*\n```(&lt;&amp;&gt;)+(&lt;|&amp;)?…```$/);
  });

  it("clips escaped text without cutting an entity in half", () => {
    expect(escapeWithin("a<b", 10)).toBe("a&lt;b");
    expect(escapeWithin("<<<<", 10)).toBe("&lt;&lt;…");
    expect(escapeWithin("ab&cd", 5)).toBe("ab…");
  });
});
