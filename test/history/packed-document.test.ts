import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "../../src/history/migrations.js";
import { packDocument, PACKED_PREFIX, unpackDocument } from "../../src/history/packed-document.js";
import { RunHistory } from "../../src/history/run-history.js";
import { tempDir } from "../helpers/temp-dir.js";
import { withRawDatabase } from "./open-db.js";

describe("packed history documents", () => {
  it("pack into one JSON string and unpack to the same document", async () => {
    const document = { steps: Array.from({ length: 50 }, (_, i) => ({ step_name: `s${i}`, sample: [{ i }] })), note: "é ✓" };
    const stored = await packDocument(document);
    expect(stored.startsWith(PACKED_PREFIX)).toBe(true);
    expect(stored.length).toBeLessThan(JSON.stringify(document).length);
    expect(unpackDocument(stored)).toEqual(document);
  });

  it("leave a plain document (an older linea's, or PostgreSQL's) as it is", () => {
    expect(unpackDocument({ steps: [] })).toEqual({ steps: [] });
    expect(unpackDocument(undefined)).toBeUndefined();
  });

  it("are read back by RunHistory, beside plain documents a version-2 history holds", async () => {
    const path = join(tempDir(), "history.duckdb");
    await withRawDatabase(path, async (c) => {
      await applyMigrations(c, path);
      for (const [runId, packed] of [["run-old", false], ["run-new", true]] as const) {
        await c.run("INSERT INTO run_summary (run_id, attempt, pipeline, status, start_time, recorded_at) VALUES ($1, 1, 'p', 'success', now(), now())", [runId]);
        const lineage = { lineage_version: "1", steps: [{ step_name: "a" }], who: runId };
        await c.run("INSERT INTO run_lineage VALUES ($1, 1, $2::JSON)", [runId, packed ? JSON.stringify(await packDocument(lineage)) : JSON.stringify(lineage)]);
        await c.run("INSERT INTO run_snapshot VALUES ($1, 1, $2::JSON)", [runId, JSON.stringify(packed ? await packDocument({ who: runId }) : { who: runId })]);
      }
    });
    const history = new RunHistory(path);
    for (const runId of ["run-old", "run-new"]) {
      const attempt = (await history.run(runId))?.attempts[0];
      expect(attempt?.lineage).toEqual({ lineage_version: "1", steps: [{ step_name: "a" }], who: runId });
      expect(attempt?.snapshot).toEqual({ who: runId });
    }
  });
});
