import { extname } from "node:path";
import { pathToFileURL } from "node:url";

/** Extensions of TypeScript modules; they load through tsx, imported on first need. */
const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);

/**
 * True when linea itself runs from its TypeScript sources (under vitest or tsx): whatever loads linea's
 * `.ts` files loads the user's too, and `linea` resolves as that loader resolves it.
 */
const FROM_SOURCE = import.meta.url.endsWith(".ts");

type TsImport = (specifier: string, options: { parentURL: string }) => Promise<unknown>;

let tsx: Promise<TsImport> | undefined;

/** tsx's `tsImport`, imported on first need only: a pipeline of .js or .yaml never loads tsx (nor esbuild). */
function loadTsImport(): Promise<TsImport> {
  tsx ??= import("tsx/esm/api").then((api) => api.tsImport as TsImport);
  return tsx;
}

/** TypeScript modules already imported, by path: each is compiled and evaluated once per process. */
const imported = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Imports a TypeScript module through tsx's `tsImport`, whatever runs linea. It loads wherever the file
 * lives: in an ESM package, a CommonJS one (what `npm init -y` writes), or a folder with no package.json.
 * tsx's hooks are scoped to the import (a namespace of its own): nothing else the process loads goes
 * through them. A failed import is not remembered, so that a fixed file loads on the next try.
 */
export function importTypeScript(path: string): Promise<Record<string, unknown>> {
  let loading = imported.get(path);
  if (loading === undefined) {
    loading = loadTsImport().then((tsImport) => tsImport(pathToFileURL(path).href, { parentURL: import.meta.url })) as Promise<Record<string, unknown>>;
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
