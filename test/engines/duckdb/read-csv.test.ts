import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type FileOptionValue } from "../../../src/index.js";
import { findRaggedCsvLine } from "../../../src/engines/duckdb/bodies/find-ragged-csv-line.js";
import { tempDir, testOrchestrator } from "../../helpers/temp-dir.js";

async function read(text: string, options?: Record<string, FileOptionValue>) {
  const dir = tempDir();
  writeFileSync(join(dir, "data.csv"), text);
  const result = await testOrchestrator({ baseDir: dir, steps: [{ name: "read", read: options ? { path: "data.csv", options } : "data.csv", outputs: ["d"] }] }).execute();
  const rows = result.status === "success" ? await result.dataMap.get("d")?.toRows() : undefined;
  return { dir, result, rows, error: result.nodes.read?.error?.message };
}

const HINT = "Fix the file, or say how to read it in the step's options: { null_padding: true } fills missing fields with NULL, " +
  "{ ignore_errors: true } skips rows that do not match";

describe("a CSV whose rows do not match its header", () => {
  it("fails with the file and the first line that does not match, never as one column of whole lines", async () => {
    const short = await read("id,name,qty\n1,a,2\n2,b\n4,d,5\n5,e,6\n");
    expect(short.error).toBe(`Step "read" failed: CSV file ${join(short.dir, "data.csv")} does not match its header: line 3 has 2 fields, its header (line 1) has 3. ${HINT}`);
    // A longer row near the end: DuckDB's sniffer skipped the header and every row before it.
    const long = await read("id,name,qty\n1,a,2\n2,b,3\n3,c,4,extra\n");
    expect(long.error).toBe(`Step "read" failed: CSV file ${join(long.dir, "data.csv")} does not match its header: line 4 has 4 fields, its header (line 1) has 3. ${HINT}`);
    const semicolons = await read('id;note\n1;"two\nlines"\n2\n');
    expect(semicolons.error).toContain("line 4 has 1 field, its header (line 1) has 2.");
  });

  it("reads as the step asks", async () => {
    expect((await read("id,name,qty\n1,a,2\n2,b\n", { null_padding: true })).rows).toEqual([{ id: 1, name: "a", qty: 2 }, { id: 2, name: "b", qty: null }]);
    expect((await read("id,name,qty\n1,a,2\n2,b\n3,c,4\n", { ignore_errors: true })).rows).toEqual([{ id: 1, name: "a", qty: 2 }, { id: 3, name: "c", qty: 4 }]);
    expect((await read("a,b\n1,2\n", { delim: "|" })).rows).toEqual([{ "a,b": "1,2" }]);
  });

  it("reads well-formed files as before: quoted delimiters and newlines, other delimiters, one real column", async () => {
    expect((await read('id,name\n1,"a,b"\n2,"c\nd"\n')).rows).toEqual([{ id: 1, name: "a,b" }, { id: 2, name: "c\nd" }]);
    expect((await read("id;qty\n1;2\n")).rows).toEqual([{ id: 1, qty: 2 }]);
    expect((await read("city\nParis\nRome\n")).rows).toEqual([{ city: "Paris" }, { city: "Rome" }]);
  });
});

describe("findRaggedCsvLine", () => {
  it("counts fields with quotes, doubled quotes, CRLF and blank lines", async () => {
    const dir = tempDir();
    const file = (text: string) => {
      const path = join(dir, `${Math.random()}.csv`);
      writeFileSync(path, text);
      return path;
    };
    expect(await findRaggedCsvLine(file('a,b\r\n1,"x ""y"", z"\r\n\r\n2,3\r\n'), ",")).toBeUndefined();
    expect(await findRaggedCsvLine(file('a,b\n"1\n2",3\n4\n'), ",")).toEqual({ line: 4, fields: 1, expected: 2 });
    expect(await findRaggedCsvLine(file("a\tb\n1\t2\t3"), "\t")).toEqual({ line: 2, fields: 3, expected: 2 });
  });
});
