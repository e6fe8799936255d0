import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventBus, InvalidOptionsError, createMetricsExportHook, type MetricsExportHookOptions, type RunMetricsDocument } from "../../../src/index.js";
import { escapeLabelValue, prometheusText } from "../../../src/events/hooks/prometheus-text.js";
import { Probe, node } from "../../helpers/dag-shapes.js";
import { tempDir, testOrchestrator } from "../../helpers/temp-dir.js";

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** A strict reader of the text exposition format: fails on any line it does not understand. */
function parseProm(text: string): { samples: Sample[]; help: Map<string, string>; type: Map<string, string> } {
  const samples: Sample[] = [];
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      (comment[1] === "HELP" ? help : type).set(comment[2] as string, comment[3] as string);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const name = m[1] as string;
    expect(type.has(name), `# TYPE before ${name}`).toBe(true);
    expect(help.has(name), `# HELP before ${name}`).toBe(true);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    samples.push({ name, labels, value: Number(m[3]) });
  }
  return { samples, help, type };
}

function value(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length);
  expect(hits.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return hits[0]?.value;
}

async function runWith(options: MetricsExportHookOptions, name = "test") {
  const bus = new EventBus();
  bus.registerHook("*", createMetricsExportHook(options));
  const probe = new Probe();
  const steps = [node(probe, "a"), node(probe, "b", ["a"], { failTimes: Infinity }), node(probe, "c", ["b"]), node(probe, "d", [], { failTimes: 1 })];
  return testOrchestrator({ name, steps, eventBus: bus, maxWorkers: 1, continueOnError: true, retry: { maxRetries: 1, delayMs: 1 } }).execute();
}

describe("createMetricsExportHook", () => {
  it("writes the JSON document: per step duration, rows, status, attempts, retries, cache hit; run totals", async () => {
    const dir = tempDir();
    const result = await runWith({ outputPath: join(dir, "metrics.json") });
    const doc = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8")) as RunMetricsDocument;
    expect(doc).toMatchObject({
      pipeline_name: "test", run_id: result.runId, batch_run_id: result.batchRunId, status: "failed",
      duration_ms: result.durationMs, error_message: "1 step(s) failed: b",
      totals: { steps: 4, success: 2, cached: 0, failed: 1, skipped: 1, retries: 2, cache_hits: 0, rows: 2 },
    });
    expect(doc.steps.map((s) => [s.step_name, s.status, s.rows, s.attempts, s.retries, s.cache_hit, s.note])).toEqual([
      ["a", "success", 1, 1, 0, false, null],
      ["b", "failed", null, 2, 1, false, 'Step "b" failed: b failed on attempt 2'],
      ["c", "skipped", null, 0, 0, false, "blocked by b"],
      ["d", "success", 1, 2, 1, false, null],
    ]);
    for (const s of doc.steps) expect(s.duration_ms).toBe(result.nodes[s.step_name]?.durationMs);
  });

  it("writes the Prometheus text beside it, with HELP and TYPE for every family", async () => {
    const dir = tempDir();
    const result = await runWith({ outputPath: join(dir, "metrics.json") });
    const { samples, type } = parseProm(readFileSync(join(dir, "metrics.prom"), "utf8"));
    const step = (s: string) => ({ pipeline: "test", step: s });
    expect(value(samples, "linea_step_duration_seconds", step("a"))).toBeCloseTo((result.nodes.a?.durationMs ?? -1) / 1000, 9);
    expect(value(samples, "linea_step_rows", step("a"))).toBe(1);
    expect(value(samples, "linea_step_rows", step("b"))).toBeUndefined();
    expect(value(samples, "linea_step_status", { ...step("b"), status: "failed" })).toBe(1);
    expect(value(samples, "linea_step_status", { ...step("b"), status: "success" })).toBe(0);
    expect(value(samples, "linea_step_status", { ...step("c"), status: "skipped" })).toBe(1);
    expect(value(samples, "linea_step_retries", step("d"))).toBe(1);
    expect(value(samples, "linea_step_attempts", step("b"))).toBe(2);
    expect(value(samples, "linea_step_cache_hit", step("a"))).toBe(0);
    expect(value(samples, "linea_run_success", { pipeline: "test" })).toBe(0);
    expect(value(samples, "linea_run_steps", { pipeline: "test", status: "skipped" })).toBe(1);
    expect(value(samples, "linea_run_retries", { pipeline: "test" })).toBe(2);
    expect(value(samples, "linea_run_cache_hits", { pipeline: "test" })).toBe(0);
    expect(value(samples, "linea_run_info", { pipeline: "test", run_id: result.runId, batch_run_id: result.batchRunId, status: "failed" })).toBe(1);
    expect(new Set(type.values())).toEqual(new Set(["gauge"]));
    expect(readdirSync(dir).sort()).toEqual(["metrics.json", "metrics.prom"]); // no temporary files left
  });

  it("escapes label values: backslash, double quote and line feed", async () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const dir = tempDir();
    const name = 'odd "pipe"\\line\nname';
    await runWith({ outputPath: join(dir, "m.json"), format: "prometheus" }, name);
    const text = readFileSync(join(dir, "m.prom"), "utf8");
    expect(text).toContain('linea_run_success{pipeline="odd \\"pipe\\"\\\\line\\nname"} 0\n');
    const { samples } = parseProm(text);
    expect(value(samples, "linea_step_rows", { pipeline: name, step: "a" })).toBe(1);
    expect(readdirSync(dir)).toEqual(["m.prom"]);
  });

  it("renders special values and escapes HELP text", () => {
    expect(prometheusText([{ name: "x", help: "a\\b\nc", type: "gauge", samples: [{ labels: {}, value: NaN }, { labels: { k: "v" }, value: Infinity }] }]))
      .toBe('# HELP x a\\\\b\\nc\n# TYPE x gauge\nx NaN\nx{k="v"} +Inf\n');
  });

  it("writes only the JSON with format json, and the Prometheus text where prometheusPath says", async () => {
    const dir = tempDir();
    await runWith({ outputPath: join(dir, "only.json"), format: "json" });
    expect(readdirSync(dir)).toEqual(["only.json"]);
    const other = tempDir();
    await runWith({ outputPath: join(other, "out", "m.json"), prometheusPath: join(other, "textfile", "linea.prom") });
    expect(readdirSync(join(other, "textfile"))).toEqual(["linea.prom"]);
    expect(readdirSync(join(other, "out"))).toEqual(["m.json"]);
  });

  it("replaces the files with each run's metrics", async () => {
    const dir = tempDir();
    const bus = new EventBus();
    bus.registerHook("*", createMetricsExportHook({ outputPath: join(dir, "m.json") }));
    const orchestrator = testOrchestrator({ steps: [node(new Probe(), "x")], eventBus: bus });
    await orchestrator.execute();
    const second = await orchestrator.execute();
    expect(JSON.parse(readFileSync(join(dir, "m.json"), "utf8")).run_id).toBe(second.runId);
  });

  it("rejects bad options at creation", () => {
    expect(() => createMetricsExportHook({} as MetricsExportHookOptions)).toThrow(new InvalidOptionsError(
      "outputPath", 'createMetricsExportHook needs `outputPath`, the file to write the metrics to, e.g. { outputPath: "lineage-out/metrics.json" }.',
    ));
    expect(() => createMetricsExportHook({ outputPath: "m.json", format: "xml" as never })).toThrow('Expected `format` to be one of json, prometheus, both, got "xml".');
    expect(() => createMetricsExportHook({ outputPath: "m.prom" })).toThrow(
      'The JSON and Prometheus metrics would both go to "m.prom"; give the JSON file another extension, or set `prometheusPath`.',
    );
  });
});
