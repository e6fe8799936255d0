import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParamsError, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

function project(): { dir: string; steps: Step[]; seen: unknown[] } {
  const dir = tempDir("linea-params-");
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n2,1,pending\n3,7,completed\n4,2,completed\n");
  const seen: unknown[] = [];
  const steps: Step[] = [
    { name: "read_orders", read: "data/orders.csv", outputs: ["orders"] },
    { name: "big", inputs: ["orders"], outputs: ["big"], sql: "SELECT id, qty FROM orders WHERE status = $status AND qty >= $min_qty ORDER BY id" },
    {
      name: "label", inputs: ["big"], outputs: ["labelled"], params: { prefix: "order" },
      run: ({ big }, ctx) => {
        seen.push(ctx.params);
        return (big as Array<{ id: number }>).map((r) => ({ label: `${String(ctx.params.prefix)}-${r.id}` }));
      },
    },
  ];
  return { dir, steps, seen };
}

describe("params", () => {
  it("reach ctx.params and a SQL step's $name parameters; the more specific wins", async () => {
    const { dir, steps, seen } = project();
    const o = testOrchestrator({
      steps, baseDir: dir, params: { min_qty: 3, status: "completed", prefix: "run-wide" }, stepParams: { label: { prefix: "P" } },
    });
    const result = await o.execute();
    expect(result.status).toBe("success");
    expect(await result.dataMap.get("big")?.toRows()).toEqual([{ id: 1, qty: 5 }, { id: 3, qty: 7 }]);
    expect(await result.dataMap.get("labelled")?.toRows()).toEqual([{ label: "P-1" }, { label: "P-3" }]);
    expect(seen).toEqual([{ min_qty: 3, status: "completed", prefix: "P" }]);
  });

  it("change the cache keys of the steps that can see them, and no other", async () => {
    const { dir, steps } = project();
    const cached = { steps, baseDir: dir, cache: true, cacheDir: join(dir, "cache") };
    const first = await testOrchestrator({ ...cached, params: { min_qty: 3, status: "completed" } }).execute();
    expect(first.counts.success).toBe(3);
    const same = await testOrchestrator({ ...cached, params: { status: "completed", min_qty: 3 } }).execute();
    expect(same.counts.cached).toBe(3);
    const changed = await testOrchestrator({ ...cached, params: { min_qty: 6, status: "completed" } }).execute();
    expect([changed.nodes.read_orders?.status, changed.nodes.big?.status, changed.nodes.label?.status]).toEqual(["cached", "success", "success"]);
    expect(await changed.dataMap.get("big")?.toRows()).toEqual([{ id: 3, qty: 7 }]);
    // A param no SQL names does not touch the SQL step; a run step sees every run-wide param.
    const other = await testOrchestrator({ ...cached, params: { min_qty: 6, status: "completed", unrelated: 1 } }).execute();
    expect([other.nodes.big?.status, other.nodes.label?.status]).toEqual(["cached", "success"]);
  });

  it("a SQL step naming a param nobody set fails with what to do", async () => {
    const { dir, steps } = project();
    const result = await testOrchestrator({ steps, baseDir: dir, params: { min_qty: 3, stauts: "x" }, stepParams: { big: { statu: "y" } } }).execute();
    expect(result.nodes.big?.status).toBe("failed");
    expect(result.nodes.big?.error?.message).toBe(
      'Step "big" failed: the SQL of step "big" uses $status, but its params are min_qty, statu (did you mean $statu?). ' +
        'Give it a value: params: { status: ... } on the step, or --param status=... (--param big.status=... for this step only)',
    );
  });

  it("binds lists and objects as JSON text, and refuses stepParams of an unknown step", async () => {
    const steps: Step[] = [{ name: "ids", outputs: ["ids"], sql: "SELECT unnest(from_json($ids::JSON, '[\"INTEGER\"]')) AS id, $opts::JSON->>'mode' AS mode" }];
    const result = await testOrchestrator({ steps, params: { ids: [4, 5], opts: { mode: "fast" } } }).execute();
    expect(await result.dataMap.get("ids")?.toRows()).toEqual([{ id: 4, mode: "fast" }, { id: 5, mode: "fast" }]);
    expect(() => testOrchestrator({ steps, stepParams: { idz: { a: 1 } } })).toThrow(ParamsError);
    expect(() => testOrchestrator({ steps, stepParams: { idz: { a: 1 } } })).toThrow(
      'Unknown step "idz" in stepParams (did you mean "ids"?): params can be set only for steps of the pipeline.',
    );
  });
});
