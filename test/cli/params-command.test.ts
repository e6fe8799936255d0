import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { paramValue, parseParamFlags } from "../../src/cli/param-flags.js";
import { tempDir } from "../helpers/temp-dir.js";
import { linea } from "./cli-helpers.js";

const PIPELINE = `name: params_demo
params: { min_qty: 3, status: completed }
environments:
  dev: { params: { min_qty: 1 }, options: { maxWorkers: 1 } }
  prod: { params: { min_qty: 5 } }
steps:
  - { name: read_orders, read: data/orders.csv, outputs: [orders] }
  - name: big
    inputs: [orders]
    sql: SELECT id FROM orders WHERE status = $status AND qty >= $min_qty ORDER BY id
    outputs: [big]
  - { name: label, inputs: [big], outputs: [labelled], params: { prefix: order }, run: { module: label.mjs, export: label } }
`;

function project(): string {
  const dir = tempDir("linea-cli-params-");
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n2,1,pending\n3,7,completed\n4,2,completed\n");
  writeFileSync(join(dir, "params.yaml"), PIPELINE);
  writeFileSync(join(dir, "label.mjs"), "export function label({ big }, ctx) { return big.map((r) => ({ label: `${ctx.params.prefix}-${r.id}`, min: ctx.params.min_qty })); }\n");
  return dir;
}

interface RunJson { nodes: Record<string, { status: string; rowCounts?: Record<string, number> }> }
const rows = (out: string, step: string): number | undefined => Object.values((JSON.parse(out) as RunJson).nodes[step]?.rowCounts ?? {})[0];

describe("--param and --env", () => {
  it("parses values as JSON when they parse, else as text, and step.key for one step", () => {
    expect([paramValue("3"), paramValue("true"), paramValue("[1,2]"), paramValue("2026-01-01"), paramValue('"3"')]).toEqual([3, true, [1, 2], "2026-01-01", "3"]);
    expect(parseParamFlags(["a=1", "my.step.k=x", "b={\"c\":2}"], ["my.step", "my"])).toEqual({ params: { a: 1, b: { c: 2 } }, stepParams: { "my.step": { k: "x" } } });
    expect(() => parseParamFlags(["lable.x=1"], ["label"])).toThrow('Unknown step "lable" in --param "lable.x=1" (did you mean "label"?)');
    expect(() => parseParamFlags(["novalue"], [])).toThrow('Invalid --param "novalue": expected key=value or step.key=value.');
    expect(() => parseParamFlags(["1x=2"], [])).toThrow('a param name is letters, digits and "_", not starting with a digit');
  });

  it("overlays the file's params with the environment's and the flags'", async () => {
    const dir = project();
    expect(rows((await linea(dir, ["run", "params.yaml", "--json"])).out, "big")).toBe(2);
    expect(rows((await linea(dir, ["run", "params.yaml", "--json", "--env", "dev"])).out, "big")).toBe(3);
    expect(rows((await linea(dir, ["run", "params.yaml", "--json", "--env", "prod"])).out, "big")).toBe(2);
    expect(rows((await linea(dir, ["run", "params.yaml", "--json", "--env", "prod", "--param", "min_qty=7"])).out, "big")).toBe(1);
    expect(rows((await linea(dir, ["run", "params.yaml", "--json", "--param", "big.min_qty=6", "--param", "min_qty=1"])).out, "big")).toBe(1);
  });

  it("takes LINEA_ENV, and names the environments a file defines when one is unknown", async () => {
    const dir = project();
    const unknown = await linea(dir, ["run", "params.yaml", "--env", "prd"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('environments: unknown environment "prd" (from --env) (did you mean "prod"?): the pipeline defines "dev", "prod".');
    const ambient = await linea(dir, ["run", "params.yaml", "--json"], { env: { LINEA_ENV: "dev" } });
    expect(rows(ambient.out, "big")).toBe(3);
    const bad = await linea(dir, ["plan", "params.yaml", "--param", "big.min_qty"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('linea: Invalid --param "big.min_qty": expected key=value or step.key=value.\n');
  });
});
