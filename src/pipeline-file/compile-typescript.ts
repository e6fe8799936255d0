import { readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { writeFileAtomic } from "../util/atomic-file.js";
import { LINEA_DIR } from "../util/default-paths.js";
import { sha256Hex } from "../util/sha256.js";
import { LINEA_VERSION } from "../util/version.js";

/**
 * Bumped whenever the compiled output changes shape, so that a newer linea never reuses what an older one
 * compiled (the linea version is part of the key too).
 */
const FORMAT = 1;

/** What a compile left behind: the inputs it read (with their content hashes) and the module it wrote. */
interface Manifest {
  readonly format: number;
  readonly entry: string;
  /** Absolute paths of every file bundled, and the tsconfig.json that applied, with their sha256 (null: absent). */
  readonly inputs: Readonly<Record<string, string | null>>;
  /** The compiled module's file name, beside the manifest. */
  readonly output: string;
  /** True when the entry is CommonJS (`module.exports = ...`): its exports are the default export's properties. */
  readonly commonJs: boolean;
}

/** A compiled module, ready to import. */
export interface CompiledModule {
  readonly url: string;
  readonly commonJs: boolean;
  /** True when it came from the cache (an import that fails then is retried on a fresh compile). */
  readonly cached: boolean;
}

/** The running linea's own entry: a user's `import ... from "linea"` means this copy of linea, never another. */
const LINEA_ENTRY = new URL(import.meta.url.endsWith(".ts") ? "../index.ts" : "../index.js", import.meta.url).href;

/** A bare specifier (a package or an alias), not a relative or absolute path, URL or builtin. */
const isBare = (specifier: string): boolean => !/^(?:[./#]|[a-zA-Z]:[\\/]|[a-z]+:)/.test(specifier);

/** Where compiled modules are kept: `.linea/modules` under the current folder, else the system's temp folder. */
function cacheFolders(cacheDir: string | undefined): string[] {
  return cacheDir !== undefined ? [cacheDir] : [join(process.cwd(), LINEA_DIR, "modules"), join(tmpdir(), "linea-modules")];
}

/** Options of {@link compileTypeScript}. */
export interface CompileOptions {
  /** Compile even when the cached module is up to date (after it failed to import). */
  readonly fresh?: boolean;
  /** The folder to keep compiled modules in. @default `.linea/modules` of the current folder, else the temp folder's */
  readonly cacheDir?: string;
}

async function hashOf(path: string): Promise<string | null> {
  try {
    return sha256Hex((await readFile(path)).toString("latin1"));
  } catch {
    return null;
  }
}

/** The tsconfig.json esbuild applies to a file: the nearest one in its folder or above. */
async function nearestTsconfig(file: string): Promise<string> {
  let folder = dirname(file);
  for (;;) {
    const candidate = join(folder, "tsconfig.json");
    if (await stat(candidate).then((s) => s.isFile(), () => false)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) return join(dirname(file), "tsconfig.json");
    folder = parent;
  }
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path, "utf8")) as Manifest;
    return manifest.format === FORMAT ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** True when every input still has the content it was compiled from. */
async function upToDate(manifest: Manifest): Promise<boolean> {
  const inputs = Object.entries(manifest.inputs);
  const hashes = await Promise.all(inputs.map(([path]) => hashOf(path)));
  return inputs.every(([, hash], i) => hashes[i] === hash);
}

/**
 * Per file, what Node gives a module about itself: `import.meta.url`, `.dirname`, `.filename`, and in a file
 * that uses them without declaring them, CommonJS's `__dirname`, `__filename` and `require`. Replaced by
 * names of the file's own (esbuild keeps each file's top-level names apart), so a bundled file still sees
 * its own place, not the bundle's.
 */
function ownPlace(path: string, source: string): string {
  const url = pathToFileURL(path).href;
  const parts = [
    `const __linea_url = ${JSON.stringify(url)}, __linea_dirname = ${JSON.stringify(dirname(path))}, __linea_filename = ${JSON.stringify(path)};`,
  ];
  const declares = (name: string): boolean => new RegExp(`(?:\\b(?:const|let|var|function|class|import)\\s+|[{,]\\s*)${name}\\b`).test(source);
  if (/\b__dirname\b/.test(source) && !declares("__dirname")) parts.push(`const __dirname = __linea_dirname;`);
  if (/\b__filename\b/.test(source) && !declares("__filename")) parts.push(`const __filename = __linea_filename;`);
  if (/\brequire\s*[(.]/.test(source) && !declares("require")) {
    parts.push(`import { createRequire as __linea_createRequire } from "node:module"; const require = __linea_createRequire(__linea_url);`);
  }
  return parts.join(" ");
}

const LOADERS: Readonly<Record<string, "ts" | "tsx" | "js" | "jsx">> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx" };

/**
 * The esbuild plugin that keeps packages outside the bundle (imported by absolute URL, as resolved from the
 * importing file, so the compiled module may live anywhere), maps `linea` to the running linea, and gives
 * each of the user's own files its own `import.meta.url`.
 */
function userModulePlugin(): Plugin {
  return {
    name: "linea-user-module",
    setup(build) {
      build.onResolve({ filter: /^linea$/ }, () => ({ path: LINEA_ENTRY, external: true }));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === "inner" || !isBare(args.path)) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "inner" });
        if (found.errors.length > 0) return { errors: found.errors };
        // A package (or a builtin): imported as Node imports it. Anything else (a tsconfig `paths` alias to
        // the user's own files) is bundled.
        if (found.external || !isAbsolute(found.path)) return { path: found.path, external: true };
        if (!found.path.split(sep).includes("node_modules")) return found;
        const require = args.kind === "require-call" || args.kind === "require-resolve";
        return { path: require ? found.path : pathToFileURL(found.path).href, external: true };
      });
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.split(sep).includes("node_modules")) return undefined;
        const source = await readFile(args.path, "utf8");
        const loader = LOADERS[/\.[^.]+$/.exec(args.path)?.[0] ?? ".ts"] ?? "ts";
        // On the file's first line, so that its lines keep their numbers (after a `#!` line's comment).
        const prelude = ownPlace(args.path, source);
        const contents = source.startsWith("#!") ? `${prelude} //${source.slice(2)}` : `${prelude} ${source}`;
        return { contents, loader };
      });
    },
  };
}

/** An esbuild failure as one line that names the file, line and column, and the rest after it. */
function compileError(path: string, error: unknown): Error {
  const messages = (error as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
  if (!Array.isArray(messages) || messages.length === 0) return error as Error;
  const lines = messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text));
  return new Error(`cannot compile ${path}: ${lines.join("; ")}`, { cause: error });
}

async function compile(path: string, folder: string, key: string): Promise<Manifest> {
  const esbuild = await import("esbuild");
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [path],
      bundle: true,
      write: false,
      // Never written there: it places the source map's paths, relative to this folder.
      outfile: join(folder, `${key}.mjs`),
      format: "esm",
      platform: "node",
      target: `node${process.versions.node}`,
      // Node's own resolution: no "module" condition or field.
      conditions: [],
      mainFields: ["main"],
      sourcemap: "inline",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      absWorkingDir: dirname(path),
      define: { "import.meta.url": "__linea_url", "import.meta.dirname": "__linea_dirname", "import.meta.filename": "__linea_filename" },
      plugins: [userModulePlugin()],
    });
  } catch (error) {
    throw compileError(path, error);
  }
  const code = result.outputFiles[0]?.text ?? "";
  const inputs: Record<string, string | null> = {};
  const tsconfig = await nearestTsconfig(path);
  for (const file of [...Object.keys(result.metafile.inputs).map((f) => resolve(dirname(path), f)), tsconfig]) {
    if (!file.split(sep).includes("node_modules")) inputs[file] = await hashOf(file);
  }
  const entryMeta = Object.entries(result.metafile.inputs).find(([f]) => resolve(dirname(path), f) === path)?.[1];
  const output = `${key}.${sha256Hex(code).slice(0, 16)}.mjs`;
  const manifest: Manifest = { format: FORMAT, entry: path, inputs, output, commonJs: entryMeta?.format === "cjs" };
  await writeFileAtomic(join(folder, output), code);
  await writeFileAtomic(join(folder, `${key}.json`), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Removes what earlier compiles of the same module left (`<key>.<hash>.mjs`), but `keep`. */
async function pruneOutputs(folder: string, key: string, keep: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(`${key}.`) && n.endsWith(".mjs") && n !== keep).map((n) => rm(join(folder, n), { force: true })));
}

/**
 * Compiles a TypeScript module (and the user's files it imports) into one ES module with esbuild, or
 * reuses the one compiled before when no input changed (their content hashes are compared; esbuild is not
 * even loaded then). Packages stay outside and load as Node loads them, `linea` is the running linea, and
 * each file keeps its own `import.meta.url`, so the module behaves wherever it lives: in an ESM package, a
 * CommonJS one, or a folder with no package.json. Kept under `.linea/modules` of the current folder (or the
 * system's temp folder when that cannot be written), named by a hash of the module's path.
 */
export async function compileTypeScript(path: string, options: CompileOptions = {}): Promise<CompiledModule> {
  // The linea it imports is part of the key: another install of linea compiles its own.
  const key = sha256Hex(JSON.stringify([LINEA_VERSION, FORMAT, LINEA_ENTRY, path])).slice(0, 32);
  let lastError: unknown;
  for (const folder of cacheFolders(options.cacheDir)) {
    const manifestPath = join(folder, `${key}.json`);
    const cached = options.fresh === true ? undefined : await readManifest(manifestPath);
    if (cached !== undefined && (await upToDate(cached)) && (await stat(join(folder, cached.output)).then(() => true, () => false))) {
      return { url: pathToFileURL(join(folder, cached.output)).href, commonJs: cached.commonJs, cached: true };
    }
    let manifest: Manifest;
    try {
      manifest = await compile(path, folder, key);
    } catch (error) {
      // A compile error is the user's to fix; a folder that cannot be written sends us to the next one.
      if ((error as { code?: unknown }).code === undefined) throw error;
      lastError = error;
      continue;
    }
    await pruneOutputs(folder, key, manifest.output).catch(() => undefined);
    return { url: pathToFileURL(join(folder, manifest.output)).href, commonJs: manifest.commonJs, cached: false };
  }
  throw lastError;
}
