import { describe, expect, it } from "vitest";
import { formatSummaryTable } from "../../src/execute/format-run-summary.js";
import { NOTE_WIDTH, truncateNote } from "../../src/util/truncate-note.js";

describe("truncateNote", () => {
  it("keeps a short note, cuts a long line with …, and marks further lines", () => {
    expect(truncateNote("blocked by load")).toBe("blocked by load");
    expect(truncateNote("")).toBe("");
    const long = `Binder Error: ${"x".repeat(200)}`;
    const cut = truncateNote(long);
    expect(cut).toHaveLength(NOTE_WIDTH);
    expect(cut).toBe(`${long.slice(0, NOTE_WIDTH - 1)}…`);
    expect(truncateNote("Catalog Error: no table\n\nLINE 1: SELECT * FROM nope\n   ^")).toBe("Catalog Error: no table …");
    expect(truncateNote("abcdef", 4)).toBe("abc…");
  });

  it("keeps the summary table's note column to one short line", () => {
    const note = `Step "enrich" failed: ${"column not found, ".repeat(20)}\nstack line 1\nstack line 2`;
    const table = formatSummaryTable([{ step: "enrich", layer: undefined, status: "failed", rows: undefined, durationMs: 12, attempts: 1, note }]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain("Step \"enrich\" failed: column not found");
    expect(lines[2]?.endsWith("…")).toBe(true);
    expect(lines[2]).not.toContain("stack line");
  });
});
