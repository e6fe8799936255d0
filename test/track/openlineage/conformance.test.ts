// Validates linea's OpenLineage events against the official OpenLineage 2-0-2 JSON Schemas, a copy of which
// the repository carries in test/fixtures/openlineage (with their Apache-2.0 LICENSE), so it runs in any clone.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOpenLineageEvents, OPENLINEAGE_FACET_SCHEMAS, OPENLINEAGE_SPEC_URL, type OpenLineageRunEvent, type RunResult, type StepExecution } from "../../../src/index.js";
import { name as examplePipelineName, pipelineSteps } from "../../../steps/pipeline.js";
import { ROOT, tempDir, testOrchestrator } from "../../helpers/temp-dir.js";
import { failedRun, successfulRun } from "./openlineage-runs.js";

// ajv and ajv-formats are CommonJS: under NodeNext a default import is `module.exports`, whose `default` is the export.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

const SPEC_DIR = resolve(ROOT, "test", "fixtures", "openlineage", "spec");
const TITLE = "OpenLineage conformance against the official 2-0-2 schemas";

type Validator = ReturnType<InstanceType<typeof Ajv2020>["compile"]>;
interface Facet {
  readonly _producer: string;
  readonly _schemaURL: string;
}
interface FoundFacet {
  readonly where: string;
  readonly key: string;
  readonly facet: Facet;
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

function loadValidator(): { ajv: InstanceType<typeof Ajv2020>; facetFiles: Map<string, Record<string, unknown>> } {
  // strict mode refuses the official core (a `not: { required: [...] }` on properties it does not declare).
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  // The facet files $ref the core by its public URL: the local copy answers for it, nothing is fetched.
  ajv.addSchema(readJson(join(SPEC_DIR, "OpenLineage.json")), OPENLINEAGE_SPEC_URL);
  const facetFiles = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(join(SPEC_DIR, "facets")).filter((f) => f.endsWith(".json"))) {
    const schema = readJson(join(SPEC_DIR, "facets", file));
    ajv.addSchema(schema);
    facetFiles.set(schema.$id as string, schema);
  }
  return { ajv, facetFiles };
}

/** Every facet of an event, with where it sits and the key it is filed under. */
function facetsOf(event: OpenLineageRunEvent, index: number): FoundFacet[] {
  const found: FoundFacet[] = [];
  const add = (where: string, facets: object | undefined): void => {
    for (const [key, facet] of Object.entries(facets ?? {})) found.push({ where: `event ${index} ${event.eventType} ${event.job.name} ${where}.${key}`, key, facet: facet as Facet });
  };
  add("run.facets", event.run.facets);
  add("job.facets", event.job.facets);
  for (const d of event.inputs) {
    add(`input ${d.name} facets`, d.facets);
    add(`input ${d.name} inputFacets`, d.inputFacets);
  }
  for (const d of event.outputs) {
    add(`output ${d.name} facets`, d.facets);
    add(`output ${d.name} outputFacets`, d.outputFacets);
  }
  return found;
}

const problems = (validate: Validator): string[] => (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);

describe(TITLE, () => {
  let ajv: InstanceType<typeof Ajv2020>;
  let facetFiles: Map<string, Record<string, unknown>>;
  let runEvent: Validator;
  const runs: Record<string, RunResult> = {};

  beforeAll(async () => {
    ({ ajv, facetFiles } = loadValidator());
    runEvent = ajv.getSchema(`${OPENLINEAGE_SPEC_URL}#/$defs/RunEvent`) as Validator;
    runs.success = (await successfulRun()).result;
    runs.failed = await failedRun();
    const out = tempDir("linea-ol-example-");
    runs.example = await testOrchestrator({ name: examplePipelineName, steps: pipelineSteps({ dataDir: join(ROOT, "fixtures"), outDir: out }), baseDir: ROOT, allowPaths: [out] }).execute();
    for (const run of Object.values(runs)) await run.tracker.settled();
    // The tracker may hold only a bound function's "[native code]" text, which is left out: give one run
    // step real source text so the sourceCode facet is validated too.
    const tag = runs.success.tracker.step("tag") as StepExecution;
    Object.assign(tag, { body: { ...tag.body, source: "({ rows }) => rows.map((r) => ({ ...r, big: Number(r.qty) > 3 }))" } });
  });

  it("every facet schema linea names is one of the official files, at the version it claims", () => {
    for (const [name, id] of Object.entries(OPENLINEAGE_FACET_SCHEMAS)) {
      const schema = facetFiles.get(id);
      expect(schema, `${name}: no official schema has $id ${id}`).toBeDefined();
      expect(Object.keys((schema?.$defs ?? {}) as object), id).toContain(name);
    }
  });

  it("the validators are not vacuous: they reject a bad run id, a facet without _producer, an sql facet without query", () => {
    const [first] = buildOpenLineageEvents((runs.success as RunResult).tracker);
    const event = JSON.parse(JSON.stringify(first)) as { run: { runId: string } };
    expect(runEvent(event)).toBe(true);
    event.run.runId = "run-20261121T221600Z-3f9a1c2b";
    expect(runEvent(event)).toBe(false);
    expect(problems(runEvent).join()).toContain("uuid");

    const sql = ajv.getSchema(`${OPENLINEAGE_FACET_SCHEMAS.SQLJobFacet}#/$defs/SQLJobFacet`) as Validator;
    expect(sql({ _producer: "https://example.com/p", _schemaURL: "https://example.com/s", query: "SELECT 1" })).toBe(true);
    expect(sql({ _schemaURL: "https://example.com/s", query: "SELECT 1" })).toBe(false);
    expect(sql({ _producer: "https://example.com/p", _schemaURL: "https://example.com/s" })).toBe(false);
  });

  for (const run of ["success", "failed", "example"] as const) {
    it(`every event of the ${run} run is a valid RunEvent`, () => {
      const events = buildOpenLineageEvents((runs[run] as RunResult).tracker);
      expect(events.length).toBeGreaterThan(2);
      const invalid = events.flatMap((event, i) => (runEvent(event) ? [] : [`event ${i} (${event.eventType} ${event.job.name}): ${problems(runEvent).join("; ")}`]));
      expect(invalid).toEqual([]);
    });

    it(`every facet of the ${run} run is valid against its own schema, and filed under that schema's key`, () => {
      const events = buildOpenLineageEvents((runs[run] as RunResult).tracker);
      const facets = events.flatMap(facetsOf);
      expect(facets.length).toBeGreaterThan(events.length);
      if (run === "success") expect(new Set(facets.map((f) => f.key))).toEqual(new Set(["processing_engine", "parent", "jobType", "sql", "sourceCode", "schema", "dataQualityMetrics", "dataQualityAssertions", "outputStatistics", "columnLineage"]));
      if (run === "failed") expect(facets.map((f) => f.key)).toContain("errorMessage");
      const invalid: string[] = [];
      for (const { where, key, facet } of facets) {
        const byUrl = ajv.getSchema(facet._schemaURL);
        if (byUrl === undefined) {
          invalid.push(`${where}: _schemaURL ${facet._schemaURL} names no official definition`);
          continue;
        }
        if (!byUrl(facet)) invalid.push(`${where}: ${problems(byUrl).join("; ")}`);
        // The facet file's top-level schema says under which key the facet belongs: { schema: {...} }.
        const file = ajv.getSchema(facet._schemaURL.split("#")[0] as string) as Validator;
        const fileProperties = Object.keys(((facetFiles.get(facet._schemaURL.split("#")[0] as string)?.properties ?? {}) as object));
        if (!fileProperties.includes(key)) invalid.push(`${where}: filed under "${key}", its schema expects ${fileProperties.join(", ")}`);
        else if (!file({ [key]: facet })) invalid.push(`${where} (as { ${key} }): ${problems(file).join("; ")}`);
      }
      expect(invalid).toEqual([]);
    });
  }
});
