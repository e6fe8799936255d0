import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { compileTypeScript, type CompileOptions } from "./compile-typescript.js";

/** Extensions of TypeScript modules; linea compiles them itself (see {@link compileTypeScript}). */
const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

/**
 * True when linea itself runs from its TypeScript sources (under vitest or tsx): whatever loads linea's
 * `.ts` files loads the user's too, and `linea` resolves as that loader resolves it.
 */
const FROM_SOURCE = import.meta.url.endsWith(".ts");

/** TypeScript modules already imported, by path: each is compiled and evaluated once per process. */
const imported = new Map<string, Promise<Record<string, unknown>>>();

async function importCompiled(path: string, options: CompileOptions): Promise<Record<string, unknown>> {
  // Stack traces of the user's code point into its own .ts files (the compiled module carries a source map).
  process.setSourceMapsEnabled(true);
  let compiled = await compileTypeScript(path, options);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(compiled.url)) as Record<string, unknown>;
  } catch (error) {
    // A package moved or removed since the compile: compile again against what is installed now.
    if (!compiled.cached || (error as { code?: unknown }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    compiled = await compileTypeScript(path, { ...options, fresh: true });
    exports = (await import(compiled.url)) as Record<string, unknown>;
  }
  const main = exports.default;
  if (!compiled.commonJs || typeof main !== "object" || main === null) return exports;
  return { ...(main as Record<string, unknown>), default: main };
}

/**
 * Imports a TypeScript module, whatever runs linea: compiled by linea with esbuild into one ES module
 * (cached under `.linea/modules`, reused while its files are unchanged), so it loads wherever the file
 * lives: in an ESM package, a CommonJS one (what `npm init -y` writes), or a folder with no package.json.
 * Its `import ... from "linea"` is the running linea. A failed import is not remembered, so that a fixed
 * file loads on the next try.
 */
export function importTypeScript(path: string, options: Pick<CompileOptions, "cacheDir"> = {}): Promise<Record<string, unknown>> {
  let loading = imported.get(path);
  if (loading === undefined) {
    loading = importCompiled(path, options);
    imported.set(path, loading);
    loading.catch(() => imported.delete(path));
  }
  return loading;
}

/**
 * Imports a user's module by absolute path: a pipeline module, or the module of a `run: { module }` body.
 * JavaScript loads as Node loads it; TypeScript (`.ts`, `.mts`, `.cts`) through {@link importTypeScript},
 * unless linea itself runs from source, under a loader that already compiles TypeScript.
 */
export async function importUserModule(path: string): Promise<Record<string, unknown>> {
  if (FROM_SOURCE || !TYPESCRIPT.has(extname(path).toLowerCase())) return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  return importTypeScript(path);
}
