import { createHash } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseRecordLog, readRecordLog, RecordLog, recordLine } from "../../src/util/record-log.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("RecordLog", () => {
  it("appends checksummed records that read back in order", async () => {
    const path = join(tempDir(), "sub", "a.log");
    const log = new RecordLog(path);
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    await log.append({ n: 3, text: "line\nfeed" });
    expect(await readRecordLog(path)).toEqual([{ n: 1 }, { n: 2 }, { n: 3, text: "line\nfeed" }]);
    // zlib's CRC-32 of the JSON's UTF-8 bytes, 8 hex digits.
    expect(readFileSync(path, "utf8").split("\n")[0]).toBe(`${crc32('{"n":1}').toString(16).padStart(8, "0")} {"n":1}`);
  });

  it("reads the lines of an older linea (the first 16 hex digits of the JSON's sha256) among newer ones, and checks them", () => {
    const older = (json: string): string => `${createHash("sha256").update(json).digest("hex").slice(0, 16)} ${json}\n`;
    const text = older('{"n":1}') + recordLine({ n: 2 }) + older('{"n":3}').replace('"n":3', '"n":8') + older('{"n":"é"}');
    expect(parseRecordLog(text)).toEqual([{ n: 1 }, { n: 2 }, { n: "é" }]);
  });

  it("writes batches small and large (its reused buffer and one of their own), text of any script, as recordLine's lines", async () => {
    const path = join(tempDir(), "big.log");
    const log = new RecordLog(path, false);
    const small = [{ n: 1, text: "é ✓ \u{1F600}" }, { n: 2 }];
    await Promise.all(small.map((record) => log.append(record)));
    const large = Array.from({ length: 40 }, (_, n) => ({ n, text: "\u{1F600}".repeat(3000) }));
    await Promise.all([...large.map((record) => log.append(record)), log.appendJson('{"last":true}')]);
    await log.flush();
    expect(readFileSync(path, "utf8")).toBe([...small, ...large, { last: true }].map((record) => recordLine(record)).join(""));
    expect(await readRecordLog(path)).toEqual([...small, ...large, { last: true }]);
  });

  it("reads no records from a missing file", async () => {
    expect(await readRecordLog(join(tempDir(), "none.log"))).toEqual([]);
  });

  it("skips a torn tail and a record whose checksum fails, keeping the records around them", () => {
    const whole = recordLine({ n: 1 }) + recordLine({ n: 2 }).replace('"n":2', '"n":9') + recordLine({ n: 3 });
    expect(parseRecordLog(whole + recordLine({ n: 4 }).slice(0, 12))).toEqual([{ n: 1 }, { n: 3 }]);
    // Without its line feed, even a whole-looking last record is torn.
    expect(parseRecordLog(recordLine({ n: 1 }).trimEnd())).toEqual([]);
    expect(parseRecordLog("garbage\n\n" + recordLine({ n: 5 }))).toEqual([{ n: 5 }]);
  });

  it("starts a new line after a torn tail left by a process that died, so its first record is whole", async () => {
    const path = join(tempDir(), "b.log");
    writeFileSync(path, recordLine({ n: 1 }));
    appendFileSync(path, recordLine({ n: 2 }).slice(0, 13));
    await new RecordLog(path).append({ n: 3 });
    expect(await readRecordLog(path)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("writes the records appended while a batch is written in one next batch", async () => {
    const path = join(tempDir(), "c.log");
    const log = new RecordLog(path, false);
    const writes: number[] = [];
    const first = log.append({ n: 0 });
    const rest = Array.from({ length: 20 }, (_, i) => log.append({ n: i + 1 }).then(() => writes.push(i)));
    await first;
    await Promise.all(rest);
    await log.flush();
    expect((await readRecordLog(path)).map((r) => (r as { n: number }).n)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(writes).toHaveLength(20);
  });

  it("rejects the appends of a batch that cannot be written, and names the file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "");
    const log = new RecordLog(join(dir, "file", "d.log"));
    await expect(log.append({ n: 1 })).rejects.toThrow(/file/);
    await log.flush();
  });
});
