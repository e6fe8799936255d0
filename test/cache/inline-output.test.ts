// Small outputs held as rows or a value are kept inline, in their cache entry and checkpoint record.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult, Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

const statuses = (result: RunResult): Record<string, string> => Object.fromEntries(Object.entries(result.nodes).map(([k, v]) => [k, v.status]));

function steps(factor = 1): Step[] {
  return [
    { name: "rows", outputs: ["rows"], run: () => [{ id: 1, name: "a", ok: true, none: null }, { id: 2, name: "b", ok: false, none: null }] },
    { name: "value", outputs: ["value"], run: () => ({ total: 3, tags: ["x", "y"] }) },
    { name: "dated", outputs: ["dated"], run: () => [{ at: new Date("2026-01-02T00:00:00Z") }] },
    { name: "big", outputs: ["big"], run: () => Array.from({ length: 5000 }, (_, i) => ({ i })) },
    { name: "use", inputs: { r: "rows" }, outputs: ["use"], params: { factor }, run: ({ r }, ctx) => [{ n: (r ?? []).length * (ctx.params.factor as number) }] },
  ];
}

function entries(dir: string): Array<{ step: string; outputs: Record<string, { data: { kind: string; value?: unknown } }> }> {
  const keys = join(dir, ".linea/cache/keys");
  return readdirSync(keys).flatMap((p) => readdirSync(join(keys, p)).map((f) => JSON.parse(readFileSync(join(keys, p, f), "utf8"))));
}

describe("inline outputs", () => {
  it("keeps small JSON-exact rows and values inline, and the rest (dates, many rows) as objects; a warm run gives back the same data", async () => {
    const dir = tempDir();
    const cold = await testOrchestrator({ steps: steps(), baseDir: dir, cache: true, checkpoint: true }).execute();
    expect(cold.status).toBe("success");
    const kinds = Object.fromEntries(entries(dir).map((e) => [e.step, Object.values(e.outputs)[0]?.data.kind]));
    expect(kinds).toEqual({ rows: "inline", value: "inline", dated: "object", big: "object", use: "inline" });
    const warm = await testOrchestrator({ steps: steps(), baseDir: dir, cache: true, checkpoint: true }).execute();
    expect(Object.values(statuses(warm)).every((s) => s === "cached")).toBe(true);
    expect(await warm.dataMap.get("rows")?.toRows()).toEqual(await cold.dataMap.get("rows")?.toRows());
    expect(await warm.dataMap.get("value")?.value()).toEqual({ total: 3, tags: ["x", "y"] });
    expect(await warm.dataMap.get("dated")?.toRows()).toEqual([{ at: new Date("2026-01-02T00:00:00Z") }]);
    // A changed consumer reads the inline rows.
    const changed = await testOrchestrator({ steps: steps(2), baseDir: dir, cache: true, checkpoint: true }).execute();
    expect(statuses(changed)).toMatchObject({ rows: "cached", use: "success" });
    expect(await changed.dataMap.get("use")?.toRows()).toEqual([{ n: 4 }]);
    expect(existsSync(join(dir, ".linea/checkpoints"))).toBe(true);
  });

  it("never reads inline data that no longer matches its checksum: its step runs again", async () => {
    const dir = tempDir();
    await testOrchestrator({ steps: steps(), baseDir: dir, cache: true, checkpoint: true }).execute();
    const keys = join(dir, ".linea/cache/keys");
    for (const prefix of readdirSync(keys)) {
      for (const file of readdirSync(join(keys, prefix))) {
        const path = join(keys, prefix, file);
        writeFileSync(path, readFileSync(path, "utf8").replace('"name":"a"', '"name":"EVIL"'));
      }
    }
    const result = await testOrchestrator({ steps: steps(3), baseDir: dir, cache: true, checkpoint: true }).execute();
    expect(statuses(result)).toMatchObject({ rows: "success", use: "success" });
    expect(await result.dataMap.get("rows")?.toRows()).toEqual([{ id: 1, name: "a", ok: true, none: null }, { id: 2, name: "b", ok: false, none: null }]);
    expect(result.warnings.map((w) => w.message)).toContain('stored data of "rows" (step "rows") is missing or corrupted; recomputing it');
  });
});
