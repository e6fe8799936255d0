// Layouts kept by a hash of the graph (layoutGraph's cacheDir): what a cached run's report reuses so that
// it does not load ELK again.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layoutGraph } from "../../../src/track/html/dag-layout.js";
import { tempDir } from "../../helpers/temp-dir.js";

const boxes = [{ key: "a", width: 150 }, { key: "b", width: 130 }, { key: "c", width: 140 }];
const edges = [{ from: "a", to: "b", label: { width: 40, height: 14 } }, { from: "b", to: "c" }];

describe("layoutGraph with a cache folder", () => {
  it("lays a graph out once, keeps the layout, and reads it back for the same graph", async () => {
    const cacheDir = join(tempDir(), "layouts");
    const fresh = await layoutGraph(boxes, edges);
    const first = await layoutGraph(boxes, edges, { cacheDir });
    expect(first).toEqual(fresh);
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    // The kept layout is what the next call uses: moved by hand, the box moves in the result.
    const file = join(cacheDir, files[0] as string);
    const kept = JSON.parse(readFileSync(file, "utf8")) as { children: Array<{ id: string; x: number }> };
    for (const child of kept.children) if (child.id === "a") child.x += 1000;
    writeFileSync(file, JSON.stringify(kept));
    const again = await layoutGraph(boxes, edges, { cacheDir });
    expect(again.boxes.get("a")?.x).toBe((fresh.boxes.get("a")?.x ?? 0) + 1000);
  });

  it("keeps another layout for another graph, and lays out unharmed when the folder cannot be written", async () => {
    const cacheDir = join(tempDir(), "layouts");
    await layoutGraph(boxes, edges, { cacheDir });
    await layoutGraph(boxes.map((b) => ({ ...b, width: b.width + 10 })), edges, { cacheDir });
    expect(readdirSync(cacheDir)).toHaveLength(2);
    const blocked = join(tempDir(), "a-file");
    writeFileSync(blocked, "not a folder");
    expect(await layoutGraph(boxes, edges, { cacheDir: blocked })).toEqual(await layoutGraph(boxes, edges));
  });

  it("lays a graph out again when its kept layout is torn or not a layout", async () => {
    const cacheDir = join(tempDir(), "layouts");
    const fresh = await layoutGraph(boxes, edges, { cacheDir });
    const file = join(cacheDir, readdirSync(cacheDir)[0] as string);
    for (const text of ["", '{"id": "root", "chil', "null", '{"id": "root"}']) {
      writeFileSync(file, text);
      expect(await layoutGraph(boxes, edges, { cacheDir })).toEqual(fresh);
    }
  });
});
