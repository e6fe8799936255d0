import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  EventBus, EventPriority, InvalidOptionsError, SlackWebhookError, createSlackHook,
  type EventPayloads, type SlackMessage, type Step,
} from "../../../src/index.js";
import { Probe, node } from "../../helpers/dag-shapes.js";
import { DURATION } from "../../helpers/duration.js";
import { testOrchestrator } from "../../helpers/temp-dir.js";

const SECRET_PATH = "/services/T000/B000/s3cr3tT0ken";

interface Received {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: SlackMessage;
  readonly at: number;
}

type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang";

interface SlackServer {
  readonly url: string;
  readonly requests: Received[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A local stand-in for Slack: records each POST and answers with `replies[n]` (the last one repeats). */
/** A webhook server answering each request with the next reply; `onRequest` sees each request as it is answered (or left hanging). */
async function slackServer(...replies: Reply[]): Promise<SlackServer> {
  return slackServerWith(() => undefined, ...replies);
}

async function slackServerWith(onRequest: () => void, ...replies: Reply[]): Promise<SlackServer> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")), at: performance.now() });
      const reply = replies[Math.min(requests.length, replies.length) - 1] ?? { status: 200, body: "ok" };
      onRequest();
      if (reply === "hang") return;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? "");
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${SECRET_PATH}`, requests };
}

const NODE_ERROR: EventPayloads["node_error"] = {
  pipelineName: "customer_pipeline", runId: "run-20260101T000000Z-abcd1234", batchRunId: "b", timestamp: "2026-01-01T00:00:00.000Z",
  stepName: "enrich", layer: "transform", status: "failed", durationMs: 1234, errorMessage: "Catalog Error: Table <kept> & co does not exist!",
  errorCode: "STEP_FAILED", attempts: 1, retryCount: 0, statusReason: undefined, checks: [],
};

function send(hook: ReturnType<typeof createSlackHook>, signal = new AbortController().signal): Promise<void> {
  return Promise.resolve(hook(NODE_ERROR, { eventType: "node_error", signal }));
}

function failingRun(probe = new Probe()): Step[] {
  return [node(probe, "a"), node(probe, "b", ["a"], { failTimes: Infinity })];
}

describe("createSlackHook: the message", () => {
  it("posts Block Kit blocks and a text fallback naming the pipeline, step, run id, duration and error", async () => {
    const slack = await slackServer({ status: 200, body: "ok" });
    await send(createSlackHook({ webhookUrl: slack.url }));
    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: "POST", path: SECRET_PATH, headers: { "content-type": "application/json" } });
    expect(request?.body).toEqual({
      text: "❌ Step enrich failed (pipeline customer_pipeline, step enrich, run run-20260101T000000Z-abcd1234, duration 1.2 s): Catalog Error: Table &lt;kept&gt; &amp; co does not exist!",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "❌ Step enrich failed", emoji: true } },
        { type: "section", fields: [
          { type: "mrkdwn", text: "*Pipeline*\ncustomer_pipeline" },
          { type: "mrkdwn", text: "*Step*\nenrich" },
          { type: "mrkdwn", text: "*Run id*\nrun-20260101T000000Z-abcd1234" },
          { type: "mrkdwn", text: "*Duration*\n1.2 s" },
        ] },
        { type: "section", text: { type: "mrkdwn", text: "*Error*\n```Catalog Error: Table &lt;kept&gt; &amp; co does not exist!```" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "linea · 2026-01-01T00:00:00.000Z" }] },
      ],
    });
  });

  it("sends username and channel when given", async () => {
    const slack = await slackServer({ status: 200 });
    await send(createSlackHook({ webhookUrl: slack.url, username: "linea-bot", channel: "#data-alerts" }));
    expect(slack.requests[0]?.body).toMatchObject({ username: "linea-bot", channel: "#data-alerts" });
  });

  it("posts a failed run's node_error and pipeline_error when registered for them, nothing for the rest", async () => {
    const slack = await slackServer({ status: 200 });
    const bus = new EventBus();
    bus.registerHook("*", createSlackHook({ webhookUrl: slack.url, events: ["node_error", "pipeline_error"] }), EventPriority.CRITICAL);
    const result = await testOrchestrator({ steps: failingRun(), eventBus: bus }).execute();
    expect(result.warnings).toEqual([]);
    expect(slack.requests.map((r) => r.body.blocks[0])).toEqual([
      { type: "header", text: { type: "plain_text", text: "❌ Step b failed", emoji: true } },
      { type: "header", text: { type: "plain_text", text: "❌ test failed", emoji: true } },
    ]);
    expect(slack.requests[0]?.body.text).toMatch(
      new RegExp(`^❌ Step b failed \\(pipeline test, step b, run ${result.runId}, duration ${DURATION}\\): Step "b" failed: b failed on attempt 1$`),
    );
    expect(slack.requests[1]?.body.text).toMatch(new RegExp(String.raw`^❌ test failed \(pipeline test, run run-[^,]+, duration ${DURATION}\): 1 step\(s\) failed: b$`));
  });

  it("rejects an unknown event in `events`", () => {
    expect(() => createSlackHook({ webhookUrl: "https://hooks.slack.com/x", events: ["node_eror" as never] })).toThrow(
      'Unknown event type "node_eror" in `events`. Use some of pipeline_start, node_start, node_retry, node_complete, node_cached, node_error, node_skipped, pipeline_complete, pipeline_error, hook_error.',
    );
  });
});

describe("createSlackHook: retries", () => {
  it("waits what Retry-After asks after a 429, then succeeds", async () => {
    const slack = await slackServer({ status: 429, headers: { "retry-after": "1" }, body: "rate_limited" }, { status: 200, body: "ok" });
    await send(createSlackHook({ webhookUrl: slack.url, retryDelayMs: 1 }));
    expect(slack.requests).toHaveLength(2);
    const gap = (slack.requests[1]?.at ?? 0) - (slack.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(slack.requests[1]?.body).toEqual(slack.requests[0]?.body);
  });

  it("retries a 500 with a doubling backoff, then gives up with an error that has no URL", async () => {
    const slack = await slackServer({ status: 500 });
    const error = await send(createSlackHook({ webhookUrl: slack.url, maxRetries: 2, retryDelayMs: 40 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackWebhookError);
    expect(error).toMatchObject({ message: "Slack webhook returned 500 after 3 attempts", status: 500, attempts: 3, code: "HOOK" });
    const at = slack.requests.map((r) => r.at);
    expect(at).toHaveLength(3);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(35);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(75);
  });

  it("does not retry a 4xx other than 429, and keeps Slack's reason", async () => {
    const slack = await slackServer({ status: 400, body: "invalid_blocks" });
    await expect(send(createSlackHook({ webhookUrl: slack.url, retryDelayMs: 1 }))).rejects.toThrow(
      new SlackWebhookError("Slack webhook returned 400 after 1 attempt: invalid_blocks", { status: 400, attempts: 1 }),
    );
    expect(slack.requests).toHaveLength(1);
  });

  it("redacts the URL if the server echoes it back", async () => {
    const slack = await slackServer({ status: 404, body: `no_service at ${SECRET_PATH}` });
    await expect(send(createSlackHook({ webhookUrl: slack.url }))).rejects.toThrow("Slack webhook returned 404 after 1 attempt: no_service at [webhook url]");
  });

  it("masks the webhook's token when the server echoes it alone", async () => {
    const slack = await slackServer({ status: 403, body: "invalid_token: s3cr3tT0ken (team T000)" });
    const error = await send(createSlackHook({ webhookUrl: slack.url })).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Slack webhook returned 403 after 1 attempt: invalid_token: *** (team T000)");
  });

  it("gives up on a server that never answers, per request timeoutMs", async () => {
    const slack = await slackServer("hang");
    await expect(send(createSlackHook({ webhookUrl: slack.url, timeoutMs: 100, maxRetries: 1, retryDelayMs: 1 }))).rejects.toThrow(
      "Slack webhook did not answer within 100 ms after 2 attempts",
    );
    // On a busy machine a request may time out before the server has read it: at most two arrive.
    expect(slack.requests.length).toBeLessThanOrEqual(2);
  });

  it("reports a refused connection by its code, without the URL", async () => {
    const slack = await slackServer({ status: 200 });
    const url = slack.url;
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    await expect(send(createSlackHook({ webhookUrl: url, maxRetries: 0 }))).rejects.toThrow("Slack webhook request failed after 1 attempt: ECONNREFUSED");
  });

  it("aborts the request when the hook's signal aborts", async () => {
    // The abort comes once the server holds the request (and never answers it): only aborting ends the send.
    const controller = new AbortController();
    const slack = await slackServerWith(() => controller.abort(new Error("hook timed out")), "hang");
    await expect(send(createSlackHook({ webhookUrl: slack.url, timeoutMs: 60_000, maxRetries: 0 }), controller.signal)).rejects.toThrow("hook timed out");
    expect(slack.requests).toHaveLength(1);
  });
});

describe("createSlackHook: the URL is a secret", () => {
  const saved = process.env.SLACK_WEBHOOK_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.SLACK_WEBHOOK_URL;
    else process.env.SLACK_WEBHOOK_URL = saved;
  });

  it("takes the URL from SLACK_WEBHOOK_URL when none is given", async () => {
    const slack = await slackServer({ status: 200 });
    process.env.SLACK_WEBHOOK_URL = slack.url;
    await send(createSlackHook());
    expect(slack.requests.map((r) => r.path)).toEqual([SECRET_PATH]);
  });

  it("throws at creation when there is no URL, saying how to give one", () => {
    delete process.env.SLACK_WEBHOOK_URL;
    expect(() => createSlackHook()).toThrow(new InvalidOptionsError(
      "webhookUrl", "createSlackHook needs a Slack incoming-webhook URL: pass { webhookUrl } or set the SLACK_WEBHOOK_URL environment variable.",
    ));
    expect(() => createSlackHook({ webhookUrl: " " })).toThrow(InvalidOptionsError);
  });

  it("rejects a malformed URL without repeating it", () => {
    const attempt = (): unknown => createSlackHook({ webhookUrl: "hooks.slack.com/services/s3cr3tT0ken" });
    expect(attempt).toThrow("The Slack webhook URL is not an http(s) URL; copy it again from the Slack app's Incoming Webhooks page.");
    expect(() => createSlackHook({ webhookUrl: "ftp://x/s3cr3tT0ken" })).toThrow(/not an http\(s\) URL/);
  });

  it("a failing Slack hook becomes a run warning and a hook_error, neither containing the URL", async () => {
    const slack = await slackServer({ status: 503, body: "" });
    const bus = new EventBus();
    const hookErrors: Array<EventPayloads["hook_error"]> = [];
    bus.registerHook("node_error", createSlackHook({ webhookUrl: slack.url, maxRetries: 1, retryDelayMs: 1 }), EventPriority.CRITICAL);
    bus.registerHook("hook_error", (p) => void hookErrors.push(p));
    const result = await testOrchestrator({ steps: failingRun(), eventBus: bus }).execute();
    expect(result.status).toBe("failed");
    expect(result.nodes.a?.status).toBe("success");
    expect(result.warnings).toEqual([{ source: "hook", message: 'hook "slackHook" failed on node_error: Slack webhook returned 503 after 2 attempts' }]);
    expect(hookErrors.map((e) => e.errorMessage)).toEqual(["Slack webhook returned 503 after 2 attempts"]);
    const everything = JSON.stringify({ warnings: result.warnings, hookErrors });
    for (const secret of [slack.url, SECRET_PATH, "s3cr3tT0ken"]) expect(everything).not.toContain(secret);
    expect(slack.requests).toHaveLength(2);
  });
});
