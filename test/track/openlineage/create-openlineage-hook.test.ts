// The live OpenLineage hook: a run's RunEvents reach a real HTTP server while the run goes, through the
// EventBus's hook queue, so a failing or hanging server never fails nor stalls the run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createOpenLineageHook, EventBus, EventPriority, openLineageHookOptionsFromEnv, buildOpenLineageEvents, type Step,
} from "../../../src/index.js";
import { openLineageProblems, openLineageServer } from "../../helpers/openlineage-server.js";
import { tempDir, testOrchestrator } from "../../helpers/temp-dir.js";
import { linea } from "../../cli/cli-helpers.js";

/** Waits until `ready` says so, for at most `limitMs` (a bound for a broken test, not a timing assertion). */
async function until(ready: () => boolean, limitMs = 20_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

function steps(whileRunning: () => Promise<void> = async () => undefined): Step[] {
  return [
    { name: "numbers", outputs: ["numbers"], run: () => [{ n: 1 }, { n: 2 }, { n: 3 }] },
    { name: "big", inputs: { t: "numbers" }, outputs: ["big"], sql: "SELECT n FROM t WHERE n > 1" },
    { name: "last", inputs: ["big"], outputs: ["last"], run: async ({ big }) => { await whileRunning(); return big as never; } },
  ];
}

describe("createOpenLineageHook", () => {
  it("POSTs each step's START and COMPLETE to <url>/api/v1/lineage while the run goes, valid against the OpenLineage schema", async () => {
    const server = await openLineageServer("accept");
    try {
      const bus = new EventBus();
      bus.registerHook("*", createOpenLineageHook({ url: server.url, namespace: "analytics", apiKey: "k-s3cret" }), EventPriority.LOW);
      const seen = (type: string, job: string): boolean => server.requests.some((r) => r.event.eventType === type && r.event.job.name === job);
      let liveBeforeEnd = false;
      // The last step waits until the server has the first steps' events: they were sent while the run went.
      const result = await testOrchestrator({
        name: "live", eventBus: bus, maxWorkers: 1,
        steps: steps(async () => { liveBeforeEnd = await until(() => seen("COMPLETE", "live.big") && seen("START", "live.last")); }),
      }).execute();
      expect(result.status).toBe("success");
      expect(result.warnings).toEqual([]);
      expect(liveBeforeEnd).toBe(true);

      const sent = server.requests.map((r) => `${r.event.eventType} ${r.event.job.name}`);
      expect(sent).toEqual([
        "START live", "START live.numbers", "COMPLETE live.numbers", "START live.big", "COMPLETE live.big", "START live.last", "COMPLETE live.last", "COMPLETE live",
      ]);
      // The same events the exporter builds from the finished run, each sent once.
      await result.tracker.settled();
      const exported = buildOpenLineageEvents(result.tracker, { namespace: "analytics" }).map((e) => `${e.eventType} ${e.run.runId}`);
      expect(server.requests.map((r) => `${r.event.eventType} ${r.event.run.runId}`).sort()).toEqual(exported.sort());
      expect(new Set(server.requests.map((r) => `${r.method} ${r.path} ${r.authorization}`))).toEqual(new Set(["POST /api/v1/lineage Bearer k-s3cret"]));
      expect(new Set(server.requests.map((r) => r.event.job.namespace))).toEqual(new Set(["analytics"]));
      const problems = openLineageProblems();
      for (const request of server.requests) expect(problems(request.event), `${request.event.eventType} ${request.event.job.name}`).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("sends FAIL for a step that fails and for the pipeline, valid against the schema", async () => {
    const server = await openLineageServer("accept");
    try {
      const bus = new EventBus();
      bus.registerHook("*", createOpenLineageHook({ url: server.url }), EventPriority.LOW);
      const result = await testOrchestrator({
        name: "broken", eventBus: bus,
        steps: [{ name: "numbers", outputs: ["numbers"], run: () => [{ n: 1 }] }, { name: "bad", inputs: ["numbers"], outputs: ["bad"], run: () => { throw new Error("no good"); } }],
      }).execute();
      expect(result.status).toBe("failed");
      expect(server.requests.map((r) => `${r.event.eventType} ${r.event.job.name}`)).toEqual([
        "START broken", "START broken.numbers", "COMPLETE broken.numbers", "START broken.bad", "FAIL broken.bad", "FAIL broken",
      ]);
      const fail = server.requests.find((r) => r.event.job.name === "broken.bad" && r.event.eventType === "FAIL");
      expect(JSON.stringify(fail?.event.run.facets)).toContain("no good");
      const problems = openLineageProblems();
      for (const request of server.requests) expect(problems(request.event)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it.each(["fail", "hang"] as const)("lets the run succeed when the server %ss, with warnings (the breaker suspends the hook) that never show the API key", async (behaviour) => {
    const server = await openLineageServer(behaviour);
    try {
      const bus = new EventBus({ hookTimeoutMs: 500 });
      bus.registerHook("*", createOpenLineageHook({ url: server.url, apiKey: "k-s3cret", retryDelayMs: 1 }), EventPriority.LOW, { name: "openlineage" });
      const result = await testOrchestrator({ name: "unlucky", eventBus: bus, steps: steps() }).execute();
      expect(result.status).toBe("success");
      expect(server.requests.length).toBeGreaterThan(0);
      const warnings = result.warnings.map((w) => w.message);
      // A timeout suspends the hook at once; failures after the bus's maxHookFailures (3) in a row.
      const hook = warnings.filter((w) => w.includes('hook "openlineage"'));
      expect(hook).toHaveLength(behaviour === "hang" ? 1 : 3);
      expect(hook.at(-1)).toMatch(behaviour === "fail"
        ? /hook "openlineage" failed on \w+: OpenLineage endpoint http:\/\/127\.0\.0\.1:\d+\/api\/v1\/lineage returned 500 .*It is suspended for the rest of run/
        : /hook "openlineage" failed on \w+: .*It is suspended for the rest of run .* after .*timeout/);
      expect(warnings.join("\n")).not.toContain("k-s3cret");
    } finally {
      await server.close();
    }
  }, 60_000);

  it("is on under `linea run` when OPENLINEAGE_URL is set, with OPENLINEAGE_NAMESPACE and OPENLINEAGE_API_KEY", async () => {
    const server = await openLineageServer("accept");
    try {
      const dir = tempDir("linea-ol-env-");
      writeFileSync(join(dir, "pipeline.ts"), 'export const name = "envy";\nexport const steps = [{ name: "one", outputs: ["one"], run: () => [{ n: 1 }] }];\n');
      const env = { OPENLINEAGE_URL: server.url, OPENLINEAGE_NAMESPACE: "from-env", OPENLINEAGE_API_KEY: "env-k3y" };
      const run = await linea(dir, ["run", "pipeline.ts", "--quiet"], { env });
      expect(run.code, run.err).toBe(0);
      expect(server.requests.map((r) => `${r.event.eventType} ${r.event.job.namespace}/${r.event.job.name} ${r.authorization}`)).toEqual([
        "START from-env/envy Bearer env-k3y", "START from-env/envy.one Bearer env-k3y", "COMPLETE from-env/envy.one Bearer env-k3y", "COMPLETE from-env/envy Bearer env-k3y",
      ]);
      const without = await linea(dir, ["run", "pipeline.ts", "--quiet"], { env: {} });
      expect(without.code).toBe(0);
      expect(server.requests).toHaveLength(4);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("takes OpenLineage's client conventions from the environment", () => {
    expect(openLineageHookOptionsFromEnv({})).toBeUndefined();
    expect(openLineageHookOptionsFromEnv({ OPENLINEAGE_URL: " " })).toBeUndefined();
    expect(openLineageHookOptionsFromEnv({ OPENLINEAGE_URL: "http://marquez:5000", OPENLINEAGE_NAMESPACE: "prod", OPENLINEAGE_API_KEY: "k" }))
      .toEqual({ url: "http://marquez:5000", namespace: "prod", apiKey: "k" });
    expect(() => createOpenLineageHook({})).toThrow("createOpenLineageHook needs `url` (an OpenLineage server such as http://localhost:5000), `file` (a JSON Lines file), or both.");
    expect(() => createOpenLineageHook({ url: "ftp://x" })).toThrow("Expected `url` to be an http(s) URL");
  });
});
