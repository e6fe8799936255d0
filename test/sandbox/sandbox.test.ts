import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Sandbox } from "../../src/sandbox/sandbox.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A project folder with a file, a folder beside it holding a secret, and links out of the project. */
function layout(): { root: string; base: string; outside: string } {
  const root = tempDir();
  const base = join(root, "project");
  const outside = join(root, "outside");
  mkdirSync(join(base, "data"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(base, "data", "in.csv"), "a\n1\n");
  writeFileSync(join(outside, "secret.csv"), "s\n1\n");
  symlinkSync(join(outside, "secret.csv"), join(base, "link.csv"));
  symlinkSync(outside, join(base, "linkdir"));
  symlinkSync(join(base, "data"), join(base, "inner"));
  return { root, base, outside };
}

describe("Sandbox", () => {
  it("allows paths under baseDir, relative or absolute, existing or not", () => {
    const { base } = layout();
    const sandbox = new Sandbox({ baseDir: base });
    for (const path of ["data/in.csv", "./data/../data/in.csv", join(base, "data/in.csv"), "out/new/x.parquet", "inner/in.csv", "."]) {
      expect(sandbox.allows(path), path).toBe(true);
    }
  });

  it("refuses .., absolute paths elsewhere, a sibling folder sharing the prefix, and links that point out", () => {
    const { base, root } = layout();
    writeFileSync(join(root, "project-secrets.csv"), "x\n");
    mkdirSync(join(root, "projectx"));
    const sandbox = new Sandbox({ baseDir: base });
    for (const path of ["../outside/secret.csv", "../../../../../etc/passwd", "/etc/passwd", "../projectx/a.csv", join(root, "project-secrets.csv"), "link.csv", "linkdir/secret.csv", "linkdir/new.csv"]) {
      expect(sandbox.allows(path), path).toBe(false);
    }
    expect(sandbox.resolve("link.csv").real).toBe(join(root, "outside", "secret.csv"));
  });

  it("widens to allowPaths, files or folders, relative ones resolved against baseDir", () => {
    const { base, outside } = layout();
    expect(new Sandbox({ baseDir: base, allowPaths: ["../outside"] }).allows("link.csv")).toBe(true);
    const oneFile = new Sandbox({ baseDir: base, allowPaths: [join(outside, "secret.csv")] });
    expect(oneFile.allows("linkdir/secret.csv")).toBe(true);
    expect(oneFile.allows("linkdir/other.csv")).toBe(false);
    expect(oneFile.duckdbAccess().paths).toEqual([join(outside, "secret.csv")]);
  });

  it("gives DuckDB baseDir, the allowed folders and linea's own folders, in written and real form", () => {
    const { base, root } = layout();
    const sandbox = new Sandbox({ baseDir: join(base, "inner"), allowPaths: ["../../outside"], ownDirs: [join(root, "cache")] });
    expect(sandbox.duckdbAccess().directories).toEqual([join(base, "inner"), join(base, "data"), join(root, "outside"), join(root, "cache")]);
    // linea's own folders are for DuckDB (stored results), not for a step's paths.
    expect(sandbox.allows(join(root, "cache", "x.parquet"))).toBe(false);
  });
});
