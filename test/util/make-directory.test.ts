import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeDirectory } from "../../src/util/make-directory.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

// /proc exists but refuses new entries with ENOENT, on which Node's recursive mkdir loops forever.
const hasProc = existsSync("/proc/self");

describe("makeDirectory", () => {
  it("creates a folder and its missing parents, and accepts one that exists", async () => {
    const dir = tempDir();
    await makeDirectory(join(dir, "a/b/c"));
    expect(statSync(join(dir, "a/b/c")).isDirectory()).toBe(true);
    await makeDirectory(join(dir, "a/b/c"));
    await makeDirectory(join(dir, "a"));
  });

  it("fails with the path when a file is in the way", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    await expect(makeDirectory(join(dir, "file/sub"))).rejects.toThrow(`cannot create folder ${join(dir, "file/sub")}: EEXIST: ${join(dir, "file")} exists and is not a folder`);
  });

  it.runIf(hasProc)("fails promptly under /proc, where Node's recursive mkdir never returns", async () => {
    await expect(makeDirectory("/proc/linea-test/sub")).rejects.toThrow("cannot create folder /proc/linea-test/sub: ENOENT: no such file or directory, mkdir '/proc/linea-test'");
  });

  it.runIf(hasProc)("a write step whose target folder cannot be created fails with the path", async () => {
    const result = await testOrchestrator({ steps: [
      { name: "make", outputs: ["d"], sql: "SELECT 1 AS x" },
      { name: "write", inputs: ["d"], write: "/proc/linea-test/x.csv" },
    ], allowPaths: ["/proc"] }).execute(); // allowed, so that the write itself is what fails
    expect(result.status).toBe("failed");
    expect(result.nodes.write?.error?.message).toBe(
      "Step \"write\" failed: cannot create folder /proc/linea-test: ENOENT: no such file or directory, mkdir '/proc/linea-test'",
    );
  });
});
