// TypeScript modules as the built linea loads them (src/pipeline-file/compile-typescript.ts): compiled with
// esbuild into one ES module, cached by content hash, wherever the user keeps them. Under vitest linea runs
// from source, so these tests call importTypeScript directly rather than through importUserModule.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTypeScript } from "../../src/pipeline-file/compile-typescript.js";
import { importTypeScript } from "../../src/pipeline-file/import-user-module.js";
import { defineStep } from "../../src/index.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A pipeline module that imports a helper of its own (`./helper.js` is helper.ts) and linea. */
function writePipeline(dir: string): string {
  writeFileSync(join(dir, "helper.ts"), `export const where: string = import.meta.url;\nexport const double = (n: number): number => n * 2;\n`);
  writeFileSync(
    join(dir, "pipe.ts"),
    `import { defineStep, type Step } from "linea";
import { double, where } from "./helper.js";
interface Shape { readonly n: number }
const shape: Shape = { n: double(21) };
export const helperUrl = where;
export const ownUrl = import.meta.url;
export const ownDir = import.meta.dirname;
export const answer = shape.n;
export const define = defineStep;
export const steps: Step[] = [{ name: "one", outputs: ["one"], sql: "SELECT 1 AS x" }];
`,
  );
  return join(dir, "pipe.ts");
}

describe("importTypeScript", () => {
  const places: Array<[string, Record<string, unknown> | undefined]> = [
    ["an ESM package", { name: "esm-user", type: "module" }],
    ["a CommonJS package (npm init -y)", { name: "cjs-user", version: "1.0.0", main: "index.js" }],
    ["a folder with no package.json", undefined],
  ];
  for (const [where, packageJson] of places) {
    it(`loads a .ts module in ${where}, with its own imports, place and linea`, async () => {
      const dir = tempDir();
      if (packageJson !== undefined) writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson));
      const path = writePipeline(dir);
      const module = await importTypeScript(path, { cacheDir: join(dir, "cache") });
      expect(module.answer).toBe(42);
      expect(module.steps).toEqual([{ name: "one", outputs: ["one"], sql: "SELECT 1 AS x" }]);
      // Each file keeps its own import.meta, not the compiled bundle's.
      expect(module.ownUrl).toBe(pathToFileURL(path).href);
      expect(module.ownDir).toBe(dir);
      expect(module.helperUrl).toBe(pathToFileURL(join(dir, "helper.ts")).href);
      // `linea` is the running linea, not a second copy.
      expect(module.define).toBe(defineStep);
    });
  }

  it("loads CommonJS-style TypeScript (module.exports, __dirname, require)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cjs-user" }));
    const path = join(dir, "pipe.cts");
    writeFileSync(path, `const { join } = require("node:path");\nmodule.exports = { name: "old_style", here: join(__dirname, "x"), file: __filename };\n`);
    const module = await importTypeScript(path, { cacheDir: join(dir, "cache") });
    expect(module).toMatchObject({ name: "old_style", here: join(dir, "x"), file: path });
  });

  it("keeps a file's line numbers, also after a #! line", async () => {
    const dir = tempDir();
    const path = join(dir, "script.ts");
    writeFileSync(path, `#!/usr/bin/env node\nexport function fail(): never {\n  throw new Error("here");\n}\n`);
    const module = await importTypeScript(path, { cacheDir: join(dir, "cache") });
    let stack = "";
    try {
      (module.fail as () => never)();
    } catch (error) {
      stack = (error as Error).stack ?? "";
    }
    expect(stack).toContain(`${path}:3:`);
  });

  it("reuses the compiled module while no file changed, and compiles again when one did", async () => {
    const dir = tempDir();
    const path = writePipeline(dir);
    const cacheDir = join(dir, "cache");
    const first = await compileTypeScript(path, { cacheDir });
    expect(first.cached).toBe(false);
    const again = await compileTypeScript(path, { cacheDir });
    expect(again).toEqual({ ...first, cached: true });
    // An imported file changes: the module is compiled again, and the old output is removed.
    writeFileSync(join(dir, "helper.ts"), `export const where = "elsewhere";\nexport const double = (n: number): number => n * 3;\n`);
    const changed = await compileTypeScript(path, { cacheDir });
    expect(changed.cached).toBe(false);
    expect(changed.url).not.toBe(first.url);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".mjs"))).toHaveLength(1);
    expect((await import(changed.url)).answer).toBe(63);
  });

  it("names the file, line and column of a syntax error", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "steps"));
    const path = join(dir, "steps", "broken.ts");
    writeFileSync(path, `export const steps = [\n  { name: "x", outputs: ["x"] sql: "SELECT 1" },\n];\n`);
    await expect(compileTypeScript(path, { cacheDir: join(dir, "cache") })).rejects.toThrow(/^cannot compile .*broken\.ts: .*broken\.ts:2:\d+: Expected/);
  });
});
