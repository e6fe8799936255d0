import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { linea } from "./cli-helpers.js";

const SHOP = `name: shop
steps:
  - { name: read_orders, layer: ingest, tags: [nightly], read: data/orders.csv, outputs: [orders] }
  - name: completed
    layer: transform
    tags: [nightly, finance]
    inputs: [orders]
    sql: SELECT * FROM orders WHERE status = 'completed'
    outputs: [completed]
  - { name: big, layer: transform, inputs: { c: completed }, sql: "SELECT * FROM c WHERE qty > 3", outputs: [big] }
  - { name: save_big, layer: store, inputs: [big], write: out/big.csv }
`;

function shop(): string {
  const dir = tempDir("linea-cli-select-");
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n2,1,pending\n3,7,completed\n4,2,completed\n");
  writeFileSync(join(dir, "shop.yaml"), SHOP);
  return dir;
}

describe("linea run|plan --select/--exclude", () => {
  it("plans a selection, and says what it reuses", async () => {
    const dir = shop();
    const plan = await linea(dir, ["plan", "shop.yaml", "--select", "completed+", "--exclude", "layer:store"]);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain("selected: 2 steps; not selected: read_orders, save_big");
    expect(plan.out).toContain("reused: orders (from read_orders, for completed): from the cache or a checkpoint");
  });

  it("refuses a selection whose inputs are not stored (exit 2), then runs it once they are", async () => {
    const dir = shop();
    const refused = await linea(dir, ["run", "shop.yaml", "--select", "big+"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('comes from unselected step "completed", which has no stored result');
    expect((await linea(dir, ["run", "shop.yaml", "--quiet"])).code).toBe(0);
    const run = await linea(dir, ["run", "shop.yaml", "--select", "big+", "--json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.out) as { nodes: Record<string, { status: string }> };
    expect(Object.keys(json.nodes)).toEqual(["big", "save_big"]);
  });

  it("reports an unknown tag with did-you-mean (exit 2)", async () => {
    const dir = shop();
    const bad = await linea(dir, ["plan", "shop.yaml", "--select", "tag:nigthly"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('linea: Unknown tag "nigthly" in select "tag:nigthly": no step has this tag (did you mean "nightly"?). Tags in this pipeline: finance, nightly.\n');
  });

  it("checks tags in pipeline files against the schema", async () => {
    const dir = shop();
    writeFileSync(join(dir, "bad.yaml"), SHOP.replace("tags: [nightly]", "tags: [night ly]"));
    const bad = await linea(dir, ["plan", "bad.yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("steps[0].tags[0]");
  });
});
