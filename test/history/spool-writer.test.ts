import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as fs from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { isActiveSpool, SpoolWriter } from "../../src/history/spool-writer.js";
import { ROOT, tempDir } from "../helpers/temp-dir.js";

vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:fs/promises")>();
  return { ...original, appendFile: vi.fn(original.appendFile) };
});

describe("SpoolWriter", () => {
  it("writes behind: appending never touches the disk, and a burst goes out in one write", async () => {
    const path = join(tempDir(), "spool", "run.1.1.jsonl");
    const writer = new SpoolWriter(path, () => undefined);
    vi.mocked(fs.appendFile).mockClear();
    for (let i = 1; i <= 1000; i++) writer.append(`{"seq":${i}}`);
    expect(fs.appendFile).not.toHaveBeenCalled();
    await writer.flush();
    expect(fs.appendFile).toHaveBeenCalledTimes(1);
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it("writes one append at a time, coalescing what queues while one is under way, in order", async () => {
    const path = join(tempDir(), "run.1.1.jsonl");
    const writer = new SpoolWriter(path, () => undefined);
    vi.mocked(fs.appendFile).mockClear();
    let inFlight = 0;
    let maxInFlight = 0;
    vi.mocked(fs.appendFile).mockImplementation(async (...args: Parameters<typeof fs.appendFile>) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      const original = await vi.importActual<typeof import("node:fs/promises")>("node:fs/promises");
      await original.appendFile(...args);
    });
    for (let i = 1; i <= 50; i++) {
      writer.append(String(i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.flush();
    const writes = vi.mocked(fs.appendFile).mock.calls.length;
    vi.mocked(fs.appendFile).mockRestore();
    expect(maxInFlight).toBe(1);
    expect(writes).toBeGreaterThan(1);
    expect(writes).toBeLessThan(25);
    expect(readFileSync(path, "utf8")).toBe(Array.from({ length: 50 }, (_, i) => `${i + 1}\n`).join(""));
  });

  it("reports the first failure once, then drops lines; flush never rejects", async () => {
    const file = join(tempDir(), "not-a-folder");
    await fs.writeFile(file, "");
    const errors: string[] = [];
    const writer = new SpoolWriter(join(file, "run.1.1.jsonl"), (message) => errors.push(message));
    writer.append("one");
    await writer.flush();
    writer.append("two");
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^cannot create folder .*: (EEXIST|ENOTDIR)/);
    expect(writer.broken).toBe(true);
  });

  it("owns its spool until released, and removes it once drained", async () => {
    const path = join(tempDir(), "run.1.1.jsonl");
    const writer = new SpoolWriter(path, () => undefined);
    expect(isActiveSpool(path)).toBe(true);
    writer.append("x");
    await writer.remove();
    await expect(fs.access(path)).rejects.toThrow();
    writer.release();
    expect(isActiveSpool(path)).toBe(false);
  });

  it("in batches: lines wait for their interval (or for enough of them), and flush writes them at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const path = join(tempDir(), "run.1.1.jsonl");
      const writer = new SpoolWriter(path, () => undefined, { intervalMs: 250, maxLines: 100 });
      vi.mocked(fs.appendFile).mockClear();
      writer.append("1");
      writer.append("2");
      await vi.advanceTimersByTimeAsync(200);
      expect(fs.appendFile).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(100);
      await writer.flush();
      expect(fs.appendFile).toHaveBeenCalledTimes(1);
      expect(readFileSync(path, "utf8")).toBe("1\n2\n");
      // Enough lines go out without waiting for the interval.
      for (let i = 3; i <= 102; i++) writer.append(String(i));
      await vi.advanceTimersByTimeAsync(0);
      await new Promise((resolve) => setImmediate(resolve));
      vi.useRealTimers();
      await writer.flush();
      expect(readFileSync(path, "utf8").split("\n")).toHaveLength(103);
      // flush does not wait for the interval.
      const single = new SpoolWriter(join(tempDir(), "run.2.1.jsonl"), () => undefined, { intervalMs: 60_000 });
      single.append("x");
      await single.flush();
      expect(readFileSync(single.path, "utf8")).toBe("x\n");
      single.release();
      writer.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it("loses at most the last interval's lines when its process dies", () => {
    const path = join(tempDir(), "run.3.1.jsonl");
    const child = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "test/history/spool-batch-child.ts"), path, "40", "7"], { cwd: ROOT, encoding: "utf8" });
    expect(child.signal).toBe("SIGKILL");
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
