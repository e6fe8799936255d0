// A pipeline file's `hooks:` section: linea's built-in hooks without code, their values taken from
// environment variables (`${NAME}`, `${NAME:-default}`), their secrets kept out of every output, their files
// inside the sandbox. Real HTTP servers on 127.0.0.1 stand in for Slack and an OpenLineage server.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PipelineFileError } from "../../src/index.js";
import { loadPipeline } from "../../src/pipeline-file/load-pipeline.js";
import { expandVariables } from "../../src/pipeline-file/expand-variables.js";
import { RunHistory } from "../../src/history/run-history.js";
import { linea } from "../cli/cli-helpers.js";
import { openLineageProblems, openLineageServer } from "../helpers/openlineage-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const SLACK_TOKEN = "T000-B000-hooksecret";
const API_KEY = "ol-k3y-hooksecret";

function pipelineFile(dir: string, hooks: string): string {
  writeFileSync(join(dir, "pipeline.yaml"), `name: hooked
hooks:
${hooks}
steps:
  - name: numbers
    sql: SELECT * FROM range(3) t(n)
    outputs: [numbers]
  - name: big
    inputs: { t: numbers }
    sql: SELECT n FROM t WHERE n > 0
    outputs: [big]
`);
  return join(dir, "pipeline.yaml");
}

/** Every file under `dir`, as text. */
function everyFile(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString("latin1") }));
}

describe("expandVariables", () => {
  const vars = { HOST: "db.internal", EMPTY: "" };
  it("takes ${NAME} from the variables and ${NAME:-default} when unset or empty", () => {
    expect(expandVariables("postgres://${HOST}:5432", vars, ["x"])).toEqual({ ok: true, value: "postgres://db.internal:5432" });
    expect(expandVariables("${PORT:-5432}/${EMPTY:-none}/${HOST:-x}", vars, ["x"])).toEqual({ ok: true, value: "5432/none/db.internal" });
    expect(expandVariables("no references", vars, ["x"])).toEqual({ ok: true, value: "no references" });
  });

  it("names the missing variable and the fix, and says what is malformed", () => {
    expect(expandVariables("${SLACK_WEBHOOK_URL}", vars, ["hooks", "slack", "webhookUrl"])).toEqual({ ok: false, findings: [{
      path: ["hooks", "slack", "webhookUrl"], message: "environment variable SLACK_WEBHOOK_URL is not set: set it, or give a default with ${SLACK_WEBHOOK_URL:-default}",
    }] });
    expect(expandVariables("${EMPTY}", vars, ["p"])).toMatchObject({ ok: false, findings: [{ message: expect.stringMatching(/^environment variable EMPTY is not set/) }] });
    expect(expandVariables("${1BAD}", vars, ["p"])).toMatchObject({ ok: false, findings: [{ message: 'malformed reference "${1BAD}": write ${NAME} or ${NAME:-default}, NAME made of letters, digits and _' }] });
    expect(expandVariables("${HOST", vars, ["p"])).toMatchObject({ ok: false, findings: [{ message: "a reference is not closed: write ${NAME} or ${NAME:-default}" }] });
  });
});

describe("hooks in pipeline files", () => {
  it("runs slack, metrics, event_log and openlineage from the file, with values from the environment, and no secret in any output", async () => {
    const slack = await openLineageServer("accept");
    const marquez = await openLineageServer("accept");
    try {
      const dir = tempDir("linea-hooks-");
      pipelineFile(dir, `  slack:
    webhookUrl: \${SLACK_WEBHOOK_URL}
    events: [pipeline_complete]
  metrics:
    path: out/metrics.json
  event_log:
    path: \${LOG_DIR:-out}/events.jsonl
    events: [node_complete]
  openlineage:
    url: \${MARQUEZ_URL}
    apiKey: \${MARQUEZ_KEY}
    namespace: analytics
    file: out/run.openlineage.jsonl`);
      const env = { SLACK_WEBHOOK_URL: `${slack.url}/services/${SLACK_TOKEN}`, MARQUEZ_URL: marquez.url, MARQUEZ_KEY: API_KEY };
      const run = await linea(dir, ["run", "pipeline.yaml", "--lineage-out", "lineage-out"], { env });
      expect(run.code, run.err).toBe(0);

      expect(slack.requests.map((r) => r.path)).toEqual([`/services/${SLACK_TOKEN}`]);
      expect(JSON.stringify(slack.requests[0]?.event)).toContain("hooked");
      expect(JSON.parse(readFileSync(join(dir, "out/metrics.json"), "utf8"))).toMatchObject({ pipeline_name: "hooked" });
      expect(readFileSync(join(dir, "out/metrics.prom"), "utf8")).toContain('linea_step_duration_seconds{pipeline="hooked",step="big"}');
      expect(readFileSync(join(dir, "out/events.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { type: string; stepName: string }).stepName)).toEqual(["numbers", "big"]);
      expect(marquez.requests.map((r) => `${r.event.eventType} ${r.event.job.namespace}/${r.event.job.name} ${r.authorization}`)).toEqual([
        `START analytics/hooked Bearer ${API_KEY}`, `START analytics/hooked.numbers Bearer ${API_KEY}`, `COMPLETE analytics/hooked.numbers Bearer ${API_KEY}`,
        `START analytics/hooked.big Bearer ${API_KEY}`, `COMPLETE analytics/hooked.big Bearer ${API_KEY}`, `COMPLETE analytics/hooked Bearer ${API_KEY}`,
      ]);
      const problems = openLineageProblems();
      const exported = readFileSync(join(dir, "out/run.openlineage.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);
      expect(exported).toHaveLength(6);
      for (const event of exported) expect(problems(event)).toEqual([]);

      // The secrets are in no output: not the terminal, the history, the lineage, the checkpoints, the cache.
      const history = await new RunHistory(join(dir, ".linea/history.duckdb")).runs();
      const detail = await new RunHistory(join(dir, ".linea/history.duckdb")).run(history[0]?.runId ?? "");
      const outputs = [run.out, run.err, JSON.stringify(detail), ...everyFile(dir).filter((f) => !f.path.endsWith("pipeline.yaml")).map((f) => `${f.path}\n${f.text}`)].join("\n");
      expect(outputs).toContain("hooked");
      for (const secret of [SLACK_TOKEN, API_KEY]) expect(outputs).not.toContain(secret);
    } finally {
      await Promise.all([slack.close(), marquez.close()]);
    }
  }, 60_000);

  it("is a PipelineFileError naming the missing variable, the place and the line; `linea plan` needs none of them", async () => {
    const dir = tempDir("linea-hooks-");
    pipelineFile(dir, "  slack:\n    webhookUrl: ${SLACK_WEBHOOK_URL}\n  openlineage:\n    namespace: x");
    const run = await linea(dir, ["run", "pipeline.yaml"], { env: {} });
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      `linea: Invalid pipeline file ${dir}/pipeline.yaml:\n` +
      "  hooks.slack.webhookUrl (line 4): environment variable SLACK_WEBHOOK_URL is not set: set it, or give a default with ${SLACK_WEBHOOK_URL:-default}\n" +
      "  hooks.openlineage (line 6): needs `url` (an OpenLineage server; or set OPENLINEAGE_URL) or `file` (a JSON Lines file), or both\n",
    );
    expect((await linea(dir, ["plan", "pipeline.yaml"], { env: {} })).code).toBe(0);
  });

  it("keeps the hooks' files inside the sandbox, and never echoes a malformed secret", async () => {
    const dir = tempDir("linea-hooks-");
    const file = pipelineFile(dir, "  metrics:\n    path: ../metrics.json\n  slack:\n    webhookUrl: ${HOOK}");
    const error = await loadPipeline(file, { variables: { HOOK: "not a url hooksecret" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineFileError);
    expect((error as Error).message).toBe([
      `Invalid pipeline file ${file}:`,
      `  hooks.metrics.path (line 4): ${dirname(dir)}/metrics.json is outside the pipeline's baseDir ${dir}: keep it under the baseDir, or add its folder to options.allowPaths`,
      "  hooks.slack.webhookUrl (line 6): The Slack webhook URL is not an http(s) URL; copy it again from the Slack app's Incoming Webhooks page.",
    ].join("\n"));
    expect((error as Error).message).not.toContain("hooksecret");
  });

  it("fills OpenLineage's settings from OPENLINEAGE_* under the file's own, and masks the secrets when shown", async () => {
    const dir = tempDir("linea-hooks-");
    const file = pipelineFile(dir, "  openlineage:\n    namespace: ${NS:-analytics}\n  slack:\n    webhookUrl: https://hooks.slack.com/services/${TOKEN}");
    const pipeline = await loadPipeline(file, { variables: { OPENLINEAGE_URL: "http://marquez:5000", OPENLINEAGE_NAMESPACE: "env-ns", OPENLINEAGE_API_KEY: API_KEY, TOKEN: SLACK_TOKEN } });
    expect(pipeline.hooks).toEqual({
      openLineage: { url: "http://marquez:5000", namespace: "analytics", apiKey: API_KEY },
      slack: { webhookUrl: `https://hooks.slack.com/services/${SLACK_TOKEN}` },
    });
    const shown = JSON.stringify(pipeline);
    expect(shown).not.toContain(SLACK_TOKEN);
    expect(shown).not.toContain(API_KEY);
    expect(JSON.parse(shown).hooks).toEqual({ openLineage: { url: "http://marquez:5000", namespace: "analytics", apiKey: "***" }, slack: { webhookUrl: "***" } });
    // Without variables the section is only checked, not resolved.
    expect((await loadPipeline(file)).hooks).toBeUndefined();
  });
});
