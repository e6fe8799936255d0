import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  buildOpenLineageEvents, exportOpenLineage, InvalidOptionsError, OpenLineageExportError, type OpenLineageRunEvent, type Tracker,
} from "../../../src/index.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { startLineageServer } from "./lineage-server.js";
import { failFastRun, successfulRun } from "./openlineage-runs.js";

const API_KEY = "sk-test-0123456789abcdef";

describe("exportOpenLineage to a file", () => {
  let tracker: Tracker;
  beforeAll(async () => {
    tracker = (await successfulRun()).result.tracker;
  });

  it("writes JSON Lines: one complete event per line, in order, and nothing else in the folder", async () => {
    const dir = tempDir();
    const path = join(dir, "lineage", "run.openlineage.jsonl");
    const summary = await exportOpenLineage(tracker, path);
    const text = readFileSync(path, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(summary).toEqual({ kind: "file", events: lines.length, path });
    expect(lines).toHaveLength(10);
    const parsed = lines.map((line) => JSON.parse(line) as OpenLineageRunEvent);
    expect(parsed).toEqual(buildOpenLineageEvents(tracker));
    expect(parsed.map((e) => e.eventType)).toEqual(["START", ...Array(4).fill(["START", "COMPLETE"]).flat(), "COMPLETE"]);
    expect(readdirSync(join(dir, "lineage"))).toEqual(["run.openlineage.jsonl"]);
  });

  it("waits for the tracker to settle first, and passes the options on", async () => {
    const settled = vi.spyOn(tracker, "settled");
    const path = join(tempDir(), "events.jsonl");
    await exportOpenLineage(tracker, path, { namespace: "analytics" });
    expect(settled).toHaveBeenCalledTimes(1);
    const first = JSON.parse(readFileSync(path, "utf8").split("\n")[0] as string) as OpenLineageRunEvent;
    expect(first.job.namespace).toBe("analytics");
    settled.mockRestore();
  });
});

describe("exportOpenLineage to an HTTP endpoint (POST /api/v1/lineage, as Marquez)", () => {
  let tracker: Tracker;
  let events: OpenLineageRunEvent[];
  beforeAll(async () => {
    tracker = (await failFastRun()).tracker;
    await tracker.settled();
    events = buildOpenLineageEvents(tracker);
    expect(events).toHaveLength(4);
  });

  it("POSTs each event in order as JSON, with the API key as a bearer token", async () => {
    const server = await startLineageServer();
    const summary = await exportOpenLineage(tracker, { url: server.url, apiKey: API_KEY });
    expect(summary).toEqual({ kind: "http", events: 4, url: `${server.url}/api/v1/lineage`, requests: 4 });
    expect(server.accepted()).toEqual(events);
    for (const request of server.requests) {
      expect([request.method, request.path]).toEqual(["POST", "/api/v1/lineage"]);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    }
  });

  it("sends no Authorization header without an API key, and posts to a custom endpoint", async () => {
    const server = await startLineageServer(undefined, "/marquez/api/v1/lineage");
    await exportOpenLineage(tracker, { url: `${server.url}/ignored`, endpoint: "/marquez/api/v1/lineage" });
    expect(server.accepted()).toHaveLength(4);
    expect(server.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it("retries a 503, waiting what Retry-After asks rather than its own backoff, then goes on in order", async () => {
    const server = await startLineageServer((n) => (n === 1 ? { status: 503, headers: { "retry-after": "0" }, body: "busy" } : { status: 200 }));
    // Its own backoff (30 s) would outlast the test's 20 s: it can only pass by honouring Retry-After.
    const summary = await exportOpenLineage(tracker, { url: server.url, retryDelayMs: 30_000 });
    expect(summary).toMatchObject({ events: 4, requests: 5 });
    expect(server.requests.map((r) => r.status)).toEqual([200, 503, 200, 200, 200]);
    expect(server.requests[1]?.body).toEqual(events[1]);
    expect(server.accepted()).toEqual(events);
  }, 20_000);

  it("retries 429 and 5xx with its backoff when there is no Retry-After", async () => {
    const server = await startLineageServer((n) => (n === 2 ? { status: 429 } : n === 3 ? { status: 500 } : { status: 200 }));
    const summary = await exportOpenLineage(tracker, { url: server.url, retryDelayMs: 1 });
    expect(summary).toMatchObject({ events: 4, requests: 6 });
    expect(server.accepted()).toEqual(events);
  });

  it("fails at once on a 400, saying the status and how many events were sent, never the API key", async () => {
    const server = await startLineageServer((n, { headers }) => (n === 2 ? { status: 400, body: `bad event (auth was ${headers.authorization ?? ""})` } : { status: 200 }));
    const error = await exportOpenLineage(tracker, { url: server.url, apiKey: API_KEY, retryDelayMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenLineageExportError);
    expect(error).toMatchObject({ code: "OPENLINEAGE", status: 400, sent: 2, total: 4, attempts: 1, url: `${server.url}/api/v1/lineage` });
    const message = (error as Error).message;
    expect(message).toBe(
      `OpenLineage endpoint ${server.url}/api/v1/lineage returned 400 for event 3 of 4 (FAIL of job "fail_fast.first") after 1 attempt; 2 of 4 events were sent.` +
        " The endpoint said: bad event (auth was Bearer [secret]) The endpoint refused the event: check the URL, the API key and the endpoint's logs.",
    );
    expect(message).not.toContain(API_KEY);
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after maxRetries retries of a 503", async () => {
    const server = await startLineageServer(() => ({ status: 503 }));
    const error = await exportOpenLineage(tracker, { url: server.url, maxRetries: 2, retryDelayMs: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, sent: 0, attempts: 3 });
    expect((error as Error).message).toContain("returned 503 for event 1 of 4 (START of job \"fail_fast\") after 3 attempts; 0 of 4 events were sent.");
    expect(server.requests).toHaveLength(3);
  });

  it("retries a refused connection, then fails saying so", async () => {
    const server = await startLineageServer();
    await server.close();
    const error = await exportOpenLineage(tracker, { url: server.url, maxRetries: 1, retryDelayMs: 1, apiKey: API_KEY }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: undefined, sent: 0, attempts: 2 });
    expect((error as Error).message).toMatch(/could not be reached for event 1 of 4 .* after 2 attempts \(ECONNREFUSED\); 0 of 4 events were sent/);
  });

  it("times out a request that gets no answer", async () => {
    const server = await startLineageServer(() => "hang");
    const error = await exportOpenLineage(tracker, { url: server.url, timeoutMs: 200, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: undefined, sent: 0, attempts: 1 });
    expect((error as Error).message).toContain("did not answer within 200 ms");
  });

  it("sends a user and password written into the URL as Basic authentication, and never shows them", async () => {
    const server = await startLineageServer((_n, { headers }) => ({ status: 400, body: `who is ${headers.authorization ?? ""}? hunter2 is wrong` }));
    const withUser = server.url.replace("http://", "http://admin:hunter2@");
    const error = await exportOpenLineage(tracker, { url: withUser, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, url: `${server.url}/api/v1/lineage` });
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from("admin:hunter2").toString("base64")}`);
    expect((error as Error).message).not.toContain("hunter2");
    expect((error as Error).message).toContain("who is Basic [secret]? [secret] is wrong");
  });

  it("stops at once when its signal aborts, even while waiting to retry", async () => {
    // The first answer asks for a 30 s wait before the retry; the abort comes while the export waits (the
    // server answers, then aborts), so the export can only end within the test's timeout by stopping at once.
    const controller = new AbortController();
    const server = await startLineageServer(() => {
      setImmediate(() => controller.abort(new Error("export cancelled")));
      return { status: 503, headers: { "retry-after": "30" } };
    });
    await expect(exportOpenLineage(tracker, { url: server.url, signal: controller.signal })).rejects.toThrow("export cancelled");
    expect(server.requests).toHaveLength(1);
  }, 20_000);

  it("refuses a target it cannot use before sending anything", async () => {
    await expect(exportOpenLineage(tracker, { url: "ftp://example.com" })).rejects.toThrow(InvalidOptionsError);
    await expect(exportOpenLineage(tracker, { url: "ftp://me:pw1234@example.com" })).rejects.toThrow('got "ftp://example.com/".');
    await expect(exportOpenLineage(tracker, { url: "not a url" })).rejects.toThrow('Expected `url` to be an http(s) URL such as http://localhost:5000, got "not a url".');
    await expect(exportOpenLineage(tracker, { url: "http://127.0.0.1:1", maxRetries: -1 })).rejects.toThrow("Expected `maxRetries` to be a whole number from 0 and up, got `-1`.");
    await expect(exportOpenLineage(tracker, { url: "http://127.0.0.1:1", timeoutMs: 0 })).rejects.toThrow("`timeoutMs`");
    await expect(exportOpenLineage(tracker, 42 as never)).rejects.toThrow("Expected a file path or `{ url }`");
  });
});
