// Small outputs held as rows or a value are kept inline, in their cache entry and checkpoint record.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INDEX_LOG_DIR } from "../../src/cache/folder-cache-index.js";
import { INLINE_MAX_BYTES, inlineOutput, inlineOutputNow, NOT_INLINE } from "../../src/cache/store-output.js";
import { DatasetHandle } from "../../src/data/dataset-handle.js";
import type { DatasetForm } from "../../src/data/dataset.js";
import { RunRuntime } from "../../src/execute/run-runtime.js";
import { FolderCacheIndex, type KeyEntry, type RunResult, type Step } from "../../src/index.js";
import { parseRecordLog, recordLine } from "../../src/util/record-log.js";
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

async function entries(dir: string): Promise<KeyEntry[]> {
  return new FolderCacheIndex(join(dir, ".linea/cache/keys")).list();
}

describe("inline outputs", () => {
  it("keeps small JSON-exact rows and values inline, and the rest (dates, many rows) as objects; a warm run gives back the same data", async () => {
    const dir = tempDir();
    const cold = await testOrchestrator({ steps: steps(), baseDir: dir, cache: true, checkpoint: true }).execute();
    expect(cold.status).toBe("success");
    const kinds = Object.fromEntries((await entries(dir)).map((e) => [e.step, Object.values(e.outputs)[0]?.data.kind]));
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
    // The index's records rewritten with the inline data changed, each under a checksum of its own that
    // matches (the log takes them): only the inline data's own checksum can catch the change.
    const logs = join(dir, ".linea/cache/keys", INDEX_LOG_DIR);
    for (const file of readdirSync(logs)) {
      const path = join(logs, file);
      const records = parseRecordLog(readFileSync(path, "utf8"));
      writeFileSync(path, records.map((r) => recordLine(JSON.parse(JSON.stringify(r).replace('"name":"a"', '"name":"EVIL"')))).join(""));
    }
    const result = await testOrchestrator({ steps: steps(3), baseDir: dir, cache: true, checkpoint: true }).execute();
    expect(statuses(result)).toMatchObject({ rows: "success", use: "success" });
    expect(await result.dataMap.get("rows")?.toRows()).toEqual([{ id: 1, name: "a", ok: true, none: null }, { id: 2, name: "b", ok: false, none: null }]);
    expect(result.warnings.map((w) => w.message)).toContain('stored data of "rows" (step "rows") is missing or corrupted; recomputing it');
  });
});

describe("inlineOutputNow", () => {
  const runtime = new RunRuntime(() => Promise.reject(new Error("no engine here")));

  it("keeps at once what inlineOutput keeps, the same stored output; says NOT_INLINE for the rest", async () => {
    const values: Array<[DatasetForm, unknown]> = [
      ["rows", [{ id: 1, name: "a", ok: true, none: null }, { id: 2, name: "b", ok: false, none: null }]],
      ["rows", Array.from({ length: 30 }, (_, i) => ({ i, half: i / 2 }))],
      ["rows", []],
      ["value", { total: 3, tags: ["x", "y"] }],
      ["value", null],
      ["value", "text"],
      ["rows", [{ at: new Date("2026-01-02T00:00:00Z") }]],
      ["rows", Array.from({ length: 5000 }, (_, i) => ({ i }))],
      ["rows", [{ long: "x".repeat(INLINE_MAX_BYTES) }]],
      ["value", { minusZero: -0 }],
    ];
    for (const [form, value] of values) {
      const now = inlineOutputNow(DatasetHandle.of("d", form, value, runtime), "v1");
      const later = await inlineOutput(DatasetHandle.of("d", form, value, runtime), "v1");
      if (later === undefined) expect(now).toBe(NOT_INLINE);
      else expect(JSON.stringify(now)).toBe(JSON.stringify(later));
    }
  });

  it("cannot tell data that is not in memory in its form: undefined (ask inlineOutput)", () => {
    const stored = DatasetHandle.stored("d", "rows", () => Promise.resolve([{ i: 1 }]), { schema: [], rowCount: 1, sample: [] }, runtime);
    expect(inlineOutputNow(stored, "v1")).toBeUndefined();
  });
});
