// The columnLineage facet of COMPLETE events, validated against the official OpenLineage 2-0-2 RunEvent
// schema and the ColumnLineageDatasetFacet schema (the copies in test/fixtures/openlineage, from the OpenLineage repository).
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { OPENLINEAGE_SPEC_URL } from "../../../src/track/openlineage/openlineage-schema-urls.js";
import { ROOT, tempDir, testOrchestrator } from "../../helpers/temp-dir.js";

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const SPEC = resolve(ROOT, "test", "fixtures", "openlineage", "spec");
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

describe("OpenLineage columnLineage facet", () => {
  it("sits on each output of a step's COMPLETE event, valid against the RunEvent and facet schemas", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "orders.csv"), "order_id,customer_id,qty,status\n1,10,2,done\n2,11,5,open\n");
    const result = await testOrchestrator({
      name: "facets", baseDir: dir,
      steps: [
        { name: "read_orders", read: "orders.csv", outputs: ["orders"] },
        { name: "totals", inputs: { o: "orders" }, outputs: ["totals"],
          sql: "SELECT customer_id, sum(qty) AS qty FROM o WHERE status = 'done' GROUP BY customer_id ORDER BY customer_id" },
        { name: "write_totals", inputs: ["totals"], write: "totals.parquet" },
      ],
    }).execute();
    expect(result.status).toBe("success");
    const events = result.tracker.toOpenLineageEvents();

    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema(readJson(join(SPEC, "OpenLineage.json")), OPENLINEAGE_SPEC_URL);
    const facetSchema = readJson(join(SPEC, "facets", "ColumnLineageDatasetFacet.json"));
    ajv.addSchema(facetSchema);
    const runEvent = ajv.getSchema(`${OPENLINEAGE_SPEC_URL}#/$defs/RunEvent`);
    const facet = ajv.getSchema(`${String(facetSchema.$id)}#/$defs/ColumnLineageDatasetFacet`);
    if (runEvent === undefined || facet === undefined) throw new Error("schemas did not load");

    const complete = (job: string) => events.find((e) => e.eventType === "COMPLETE" && e.job.name.endsWith(job));
    const facets = events.flatMap((e) => e.outputs.flatMap((o) => (o.facets?.columnLineage ? [o.facets.columnLineage] : [])));
    expect(facets).toHaveLength(3);
    for (const event of events) expect(runEvent(event), JSON.stringify(runEvent.errors)).toBe(true);
    for (const f of facets) {
      expect(facet(f), JSON.stringify(facet.errors)).toBe(true);
      expect(f._schemaURL).toBe("https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet");
    }

    const ns = "linea://facets";
    const totals = complete("totals")?.outputs.find((o) => o.name === "totals")?.facets?.columnLineage;
    expect(totals?.fields).toEqual({
      customer_id: { inputFields: [{ namespace: ns, name: "orders", field: "customer_id", transformations: [{ type: "DIRECT", subtype: "IDENTITY" }] }] },
      qty: { inputFields: [{ namespace: ns, name: "orders", field: "qty", transformations: [{ type: "DIRECT", subtype: "AGGREGATION" }] }] },
    });
    expect(totals?.dataset).toEqual([
      { namespace: ns, name: "orders", field: "customer_id", transformations: [{ type: "INDIRECT", subtype: "GROUP_BY" }, { type: "INDIRECT", subtype: "SORT" }] },
      { namespace: ns, name: "orders", field: "status", transformations: [{ type: "INDIRECT", subtype: "FILTER" }] },
    ]);
    // A read step's dataset comes from its file; a write step's file from its dataset.
    const read = complete("read_orders")?.outputs.find((o) => o.name === "orders")?.facets?.columnLineage;
    expect(read?.fields.qty?.inputFields).toEqual([{ namespace: "file", name: join(dir, "orders.csv"), field: "qty", transformations: [{ type: "DIRECT", subtype: "IDENTITY" }] }]);
    const written = complete("write_totals")?.outputs.find((o) => o.namespace === "file")?.facets?.columnLineage;
    expect(written?.fields.qty?.inputFields).toEqual([{ namespace: ns, name: "totals", field: "qty", transformations: [{ type: "DIRECT", subtype: "IDENTITY" }] }]);
  });
});
