// Small outputs held as rows or a value are kept inline, in their cache entry and checkpoint record.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INDEX_LOG_DIR } from "../../src/cache/folder-cache-index.js";
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
