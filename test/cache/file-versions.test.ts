// Source files' content versions: hashed once per size-and-mtime, and once however many ask at the same time.
import { createHash } from "node:crypto";
import { readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileVersions } from "../../src/cache/file-versions.js";
import { tempDir } from "../helpers/temp-dir.js";

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("FileVersions", () => {
  it("gives a file's sha256 with its size and mtime, and undefined for a missing file or a folder", async () => {
    const dir = tempDir();
    const file = join(dir, "orders.csv");
    writeFileSync(file, "id\n1\n");
    const versions = new FileVersions(join(dir, "files"));
    expect(await versions.of(file)).toMatchObject({ path: file, sha256: sha("id\n1\n"), size: 5 });
    expect(await versions.of(join(dir, "missing.csv"))).toBeUndefined();
    expect(await versions.of(dir)).toBeUndefined();
  });

  it("answers callers that ask at the same time with one finding, and a later caller anew", async () => {
    const dir = tempDir();
    const file = join(dir, "big.csv");
    writeFileSync(file, "x".repeat(9 * 1024 * 1024));
    const versions = new FileVersions(join(dir, "files"));
    const [first, second] = await Promise.all([versions.of(file), versions.of(file)]);
    expect(second).toBe(first);
    expect(first?.sha256).toBe(sha("x".repeat(9 * 1024 * 1024)));
    // Changed since (same size, another mtime): found again, not the earlier answer.
    writeFileSync(file, "y".repeat(9 * 1024 * 1024));
    utimesSync(file, new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect((await versions.of(file))?.sha256).toBe(sha("y".repeat(9 * 1024 * 1024)));
  });

  it("tells before hashing whether a file is known, only touched (same size, another mtime), or new", async () => {
    const dir = tempDir();
    const file = join(dir, "orders.csv");
    const versions = new FileVersions(join(dir, "files"));
    expect(await versions.state(file)).toBe("new"); // no such file yet
    writeFileSync(file, "id\n1\n");
    expect(await versions.state(file)).toBe("new"); // never hashed
    await versions.of(file);
    expect(await versions.state(file)).toBe("known");
    utimesSync(file, new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(await versions.state(file)).toBe("touched");
    expect(await versions.known(file)).toBeUndefined();
    writeFileSync(file, "id\n1\n2\n");
    expect(await versions.state(file)).toBe("new");
  });

  it("hashes a file again when its record was left empty, torn or wrong by a crash, never failing", async () => {
    const dir = tempDir();
    const file = join(dir, "orders.csv");
    writeFileSync(file, "id\n1\n");
    const records = join(dir, "files");
    await new FileVersions(records).of(file);
    const [record] = readdirSync(records);
    for (const text of ["", '{"path":', "null", '{"path": 1}']) {
      writeFileSync(join(records, record as string), text);
      const versions = new FileVersions(records);
      expect(await versions.known(file)).toBeUndefined();
      expect(await versions.of(file)).toMatchObject({ path: file, sha256: sha("id\n1\n"), size: 5 });
      expect(await versions.known(file)).toMatchObject({ sha256: sha("id\n1\n") });
    }
  });
});
