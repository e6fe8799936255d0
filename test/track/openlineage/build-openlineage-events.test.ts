import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildOpenLineageEvents, DEFAULT_OPENLINEAGE_PRODUCER, InvalidOptionsError, LINEA_ERROR_CODES, pipelineRunId, RUN_EVENT_SCHEMA_URL,
  stepRunId, type OpenLineageRunEvent, type RunResult, type StepExecution, type Tracker,
} from "../../../src/index.js";
import { LINEA_VERSION } from "../../../src/util/version.js";
import { failedRun, failFastRun, ORDERS_CSV, successfulRun } from "./openlineage-runs.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const eventsOf = (events: OpenLineageRunEvent[], job: string): OpenLineageRunEvent[] => events.filter((e) => e.job.name === job);
const typesOf = (events: OpenLineageRunEvent[], job: string): string[] => eventsOf(events, job).map((e) => e.eventType);
const ended = (events: OpenLineageRunEvent[], job: string): OpenLineageRunEvent => eventsOf(events, job).at(-1) as OpenLineageRunEvent;
const output = (event: OpenLineageRunEvent, name: string) => event.outputs.find((d) => d.name === name);
const input = (event: OpenLineageRunEvent, name: string) => event.inputs.find((d) => d.name === name);

/** Every facet object of an event. */
function allFacets(e: OpenLineageRunEvent): Array<{ _producer: string; _schemaURL: string }> {
  const groups = [e.run.facets, e.job.facets, ...e.inputs.flatMap((d) => [d.facets, d.inputFacets]), ...e.outputs.flatMap((d) => [d.facets, d.outputFacets])];
  return groups.flatMap((g) => Object.values(g ?? {}) as Array<{ _producer: string; _schemaURL: string }>);
}

describe("buildOpenLineageEvents on a successful run", () => {
  let result: RunResult;
  let baseDir: string;
  let tracker: Tracker;
  let events: OpenLineageRunEvent[];

  beforeAll(async () => {
    ({ result, baseDir } = await successfulRun());
    tracker = result.tracker;
    await tracker.settled();
    events = buildOpenLineageEvents(tracker);
  });

  it("opens with the pipeline's START, closes with its COMPLETE, and gives each step a START then a COMPLETE", () => {
    expect(result.status).toBe("success");
    expect(events).toHaveLength(2 + 2 * 4);
    expect([events[0]?.eventType, events[0]?.job.name]).toEqual(["START", "orders_pipeline"]);
    expect([events.at(-1)?.eventType, events.at(-1)?.job.name]).toEqual(["COMPLETE", "orders_pipeline"]);
    expect(events[0]?.eventTime).toBe(tracker.startTime);
    expect(events.at(-1)?.eventTime).toBe(tracker.endTime);
    for (const step of ["read_orders", "completed", "tag", "write_tagged"]) {
      expect(typesOf(events, `orders_pipeline.${step}`), step).toEqual(["START", "COMPLETE"]);
      const [start, end] = eventsOf(events, `orders_pipeline.${step}`);
      expect(start?.eventTime).toBe(tracker.step(step)?.startTime);
      expect(end?.eventTime).toBe(tracker.step(step)?.endTime);
      expect(start?.run.runId).toBe(end?.run.runId);
    }
  });

  it("is in time order, and every run's START comes before its end", () => {
    const times = events.map((e) => Date.parse(e.eventTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const runId of new Set(events.map((e) => e.run.runId))) {
      expect(events.filter((e) => e.run.runId === runId)[0]?.eventType).toBe("START");
    }
    // plan order is a chain here, so each step's COMPLETE precedes the next one's START
    const order = events.slice(1, -1).map((e) => `${e.job.name.split(".")[1]}:${e.eventType}`);
    expect(order).toEqual(["read_orders:START", "read_orders:COMPLETE", "completed:START", "completed:COMPLETE", "tag:START", "tag:COMPLETE", "write_tagged:START", "write_tagged:COMPLETE"]);
  });

  it("stamps every event and facet with the producer and its schema URL", () => {
    for (const e of events) {
      expect(e.producer).toBe(`https://github.com/linea/linea/tree/v${LINEA_VERSION}`);
      expect(e.schemaURL).toBe(RUN_EVENT_SCHEMA_URL);
      expect(e.job.namespace).toBe("linea");
      for (const facet of allFacets(e)) {
        expect(facet._producer).toBe(DEFAULT_OPENLINEAGE_PRODUCER);
        expect(facet._schemaURL).toMatch(/^https:\/\/openlineage\.io\/spec\/facets\/\d+-\d+-\d+\/(\w+)\.json#\/\$defs\/\1$/);
      }
    }
  });

  it("links every step's run to the pipeline's run with a parent facet (parent and root)", () => {
    const parentId = events[0]?.run.runId as string;
    expect(parentId).toBe(pipelineRunId(tracker));
    const pipelineJob = { namespace: "linea", name: "orders_pipeline" };
    for (const e of events) {
      if (e.job.name === "orders_pipeline") {
        expect(e.run.facets.parent).toBeUndefined();
        expect(e.job.facets.jobType).toMatchObject({ processingType: "BATCH", integration: "LINEA", jobType: "JOB" });
        continue;
      }
      expect(e.run.facets.parent).toMatchObject({ run: { runId: parentId }, job: pipelineJob, root: { run: { runId: parentId }, job: pipelineJob } });
      expect(e.job.facets.jobType).toMatchObject({ processingType: "BATCH", integration: "LINEA", jobType: "TASK" });
      expect(e.run.facets.processing_engine).toMatchObject({ name: "linea", version: LINEA_VERSION, openlineageAdapterVersion: LINEA_VERSION });
      expect(e.run.facets.errorMessage).toBeUndefined();
    }
  });

  it("describes each step's code: the sql facet for sql steps, nothing but jobType for read and write steps", () => {
    const sql = ended(events, "orders_pipeline.completed").job.facets;
    expect(sql.sql).toMatchObject({ query: "SELECT * FROM orders WHERE status = 'completed' AND customer_id IS NOT NULL", dialect: "duckdb" });
    expect(sql.sourceCode).toBeUndefined();
    expect(ended(events, "orders_pipeline.tag").job.facets.sql).toBeUndefined();
    for (const step of ["read_orders", "write_tagged"]) {
      expect(Object.keys(ended(events, `orders_pipeline.${step}`).job.facets)).toEqual(["jobType"]);
    }
  });

  it("names in-run datasets in linea://<pipeline> and files by their absolute path in `file`", () => {
    const read = ended(events, "orders_pipeline.read_orders");
    expect(read.inputs.map((d) => [d.namespace, d.name])).toEqual([["file", ORDERS_CSV]]);
    expect(read.outputs.map((d) => [d.namespace, d.name])).toEqual([["linea://orders_pipeline", "raw_orders"]]);
    const write = ended(events, "orders_pipeline.write_tagged");
    expect(write.inputs.map((d) => [d.namespace, d.name])).toEqual([["linea://orders_pipeline", "tagged"]]);
    expect(write.outputs.map((d) => [d.namespace, d.name])).toEqual([["file", resolve(baseDir, "out/tagged.parquet")]]);
    // START events name the same datasets, without facets
    const start = eventsOf(events, "orders_pipeline.write_tagged")[0] as OpenLineageRunEvent;
    expect(start.outputs).toEqual([{ namespace: "file", name: resolve(baseDir, "out/tagged.parquet") }]);
  });

  it("gives outputs their schema and outputStatistics, inputs their schema and row count", () => {
    const rows = tracker.step("completed")?.afterSnapshot?.rowCount as number;
    expect(rows).toBeGreaterThan(0);
    const completed = output(ended(events, "orders_pipeline.completed"), "completed");
    expect(completed?.outputFacets?.outputStatistics?.rowCount).toBe(rows);
    expect(completed?.facets?.schema?.fields.slice(0, 2)).toEqual([
      { name: "order_id", type: "BIGINT", ordinal_position: 1 }, { name: "customer_id", type: "BIGINT", ordinal_position: 2 },
    ]);
    const tagged = input(ended(events, "orders_pipeline.write_tagged"), "tagged");
    expect(tagged?.facets?.schema?.fields.map((f) => f.name)).toContain("big");
    expect(tagged?.inputFacets?.dataQualityMetrics).toMatchObject({ rowCount: rows, columnMetrics: {} });
    const file = ended(events, "orders_pipeline.write_tagged").outputs[0];
    expect(file?.outputFacets?.outputStatistics?.rowCount).toBe(rows);
    expect(file?.facets?.schema?.fields.map((f) => f.name)).toContain("big");
  });

  it("turns checks into assertions on the output, and known null counts into dataQualityMetrics", () => {
    const completed = output(ended(events, "orders_pipeline.completed"), "completed");
    expect(completed?.facets?.dataQualityAssertions?.assertions).toEqual([
      { assertion: "not_null", success: true, column: "customer_id", severity: "error", name: "not_null(customer_id)", description: expect.stringContaining("no null customer_id") },
      { assertion: "unique", success: true, severity: "error", name: "unique(order_id, customer_id)", description: expect.any(String) },
      { assertion: "row_count", success: true, severity: "error", name: "row_count(min=1)", description: expect.any(String) },
    ]);
    expect(completed?.facets?.dataQualityMetrics?.columnMetrics).toEqual({ customer_id: { nullCount: 0 } });

    // a warn check that failed: the step succeeded, the assertion did not
    const raw = output(ended(events, "orders_pipeline.read_orders"), "raw_orders");
    const nulls = tracker.step("read_orders")?.checks[0]?.failingRows as number;
    expect(nulls).toBeGreaterThan(0);
    expect(raw?.facets?.dataQualityAssertions?.assertions).toEqual([expect.objectContaining({ assertion: "not_null", success: false, column: "customer_id", severity: "warn" })]);
    expect(raw?.facets?.dataQualityMetrics).toMatchObject({ rowCount: 3000, columnMetrics: { customer_id: { nullCount: nulls } } });
    // the consumer's input carries what the producer's check found, and so does the file read
    expect(input(ended(events, "orders_pipeline.completed"), "raw_orders")?.inputFacets?.dataQualityMetrics).toMatchObject({ rowCount: 3000, columnMetrics: { customer_id: { nullCount: nulls } } });
    expect(ended(events, "orders_pipeline.read_orders").inputs[0]?.inputFacets?.dataQualityMetrics?.columnMetrics).toEqual({ customer_id: { nullCount: nulls } });
  });

  it("gives the same events, ids included, when built again; ids are UUIDv7 timed at each run's start", () => {
    expect(buildOpenLineageEvents(tracker)).toEqual(events);
    const ids = new Set(events.map((e) => e.run.runId));
    expect(ids.size).toBe(5);
    for (const e of events) {
      expect(e.run.runId).toMatch(UUID_V7);
      if (e.eventType === "START") expect(Number.parseInt(e.run.runId.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.parse(e.eventTime));
    }
    expect(ended(events, "orders_pipeline.tag").run.runId).toBe(stepRunId(tracker, tracker.step("tag") as never));
  });

  it("takes the job and dataset namespaces and the producer from the options", () => {
    const custom = buildOpenLineageEvents(tracker, { namespace: "analytics", datasetNamespace: "duckdb://memory", producer: "https://example.com/my-scheduler" });
    expect(new Set(custom.map((e) => e.job.namespace))).toEqual(new Set(["analytics"]));
    expect(custom.every((e) => e.producer === "https://example.com/my-scheduler" && allFacets(e).every((f) => f._producer === e.producer))).toBe(true);
    expect(ended(custom, "orders_pipeline.completed").inputs[0]).toMatchObject({ namespace: "duckdb://memory", name: "raw_orders" });
    expect(ended(custom, "orders_pipeline.completed").run.facets.parent?.job).toEqual({ namespace: "analytics", name: "orders_pipeline" });
    expect(custom.map((e) => e.run.runId)).toEqual(events.map((e) => e.run.runId));
  });

  it("refuses a producer that is not an absolute URI, and an empty namespace", () => {
    expect(() => buildOpenLineageEvents(tracker, { producer: "linea" })).toThrow(InvalidOptionsError);
    expect(() => buildOpenLineageEvents(tracker, { producer: "linea" })).toThrow('Expected `producer` to be an absolute URI such as https://example.com/my-tool, got "linea".');
    expect(() => buildOpenLineageEvents(tracker, { namespace: " " })).toThrow("Expected `namespace` to be a non-empty string");
    expect(LINEA_ERROR_CODES).toContain("INVALID_OPTIONS");
  });
});

describe("the sourceCode facet of run steps", () => {
  /** A run step's record with the source text the tracker recorded replaced by `source`. */
  async function runStepWithSource(source: string | undefined): Promise<OpenLineageRunEvent[]> {
    const result = await failFastRun();
    await result.tracker.settled();
    const record = result.tracker.step("first") as StepExecution;
    Object.assign(record, { body: { ...record.body, source } });
    return buildOpenLineageEvents(result.tracker);
  }

  it("carries the function text the tracker recorded, as javascript", async () => {
    const text = '() => { throw new Error("boom"); }';
    const events = await runStepWithSource(text);
    for (const e of eventsOf(events, "fail_fast.first")) {
      expect(e.job.facets.sourceCode).toMatchObject({ language: "javascript", sourceCode: text });
      expect(e.job.facets.sql).toBeUndefined();
    }
  });

  it("is left out when the tracker has only a bound function's `[native code]` text", async () => {
    const events = await runStepWithSource("function () { [native code] }");
    expect(eventsOf(events, "fail_fast.first").map((e) => Object.keys(e.job.facets))).toEqual([["jobType"], ["jobType"]]);
  });
});

describe("buildOpenLineageEvents on failed runs", () => {
  it("gives a failed step a FAIL with its error, a blocked step no events, and the pipeline a FAIL naming the failed steps", async () => {
    const result = await failedRun();
    await result.tracker.settled();
    expect(result.status).toBe("failed");
    const events = buildOpenLineageEvents(result.tracker);
    expect(typesOf(events, "failing")).toEqual(["START", "FAIL"]);
    expect(events.at(-1)?.job.name).toBe("failing");
    expect(typesOf(events, "failing.numbers")).toEqual(["START", "COMPLETE"]);
    expect(typesOf(events, "failing.broken")).toEqual(["START", "FAIL"]);
    expect(typesOf(events, "failing.after_broken")).toEqual([]);
    expect(result.nodes.after_broken).toMatchObject({ status: "skipped", kind: "blocked" });

    const broken = ended(events, "failing.broken");
    expect(broken.run.facets.errorMessage).toMatchObject({ programmingLanguage: "javascript", message: result.tracker.step("broken")?.errorMessage });
    expect(broken.run.facets.errorMessage?.message).toContain('Step "broken" failed');
    expect(broken.outputs).toEqual([{ namespace: "linea://failing", name: "broken" }]);

    // a step failed by its data check: the FAIL carries the failing assertion and the null count it found
    const doubled = ended(events, "failing.doubled");
    expect(doubled.eventType).toBe("FAIL");
    expect(output(doubled, "doubled")?.facets?.dataQualityAssertions?.assertions).toEqual([expect.objectContaining({ assertion: "not_null", column: "n2", success: false })]);
    expect(output(doubled, "doubled")?.facets?.dataQualityMetrics?.columnMetrics).toEqual({ n2: { nullCount: 1 } });

    const pipeline = events.at(-1)?.run.facets.errorMessage;
    expect(pipeline?.programmingLanguage).toBe("javascript");
    expect(pipeline?.message).toMatch(/^Pipeline "failing" failed: 2 steps failed \("broken", "doubled"\)\.\nStep "broken" failed/);
  });

  it("gives steps that fail-fast aborted no events", async () => {
    const result = await failFastRun();
    await result.tracker.settled();
    expect(result.nodes.second).toMatchObject({ status: "skipped", kind: "aborted" });
    const events = buildOpenLineageEvents(result.tracker);
    expect(events.map((e) => `${e.job.name}:${e.eventType}`)).toEqual(["fail_fast:START", "fail_fast.first:START", "fail_fast.first:FAIL", "fail_fast:FAIL"]);
    expect(ended(events, "fail_fast.first").run.facets.errorMessage?.message).toContain("boom");
  });
});
