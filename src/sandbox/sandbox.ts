import { statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { realPathOf } from "./real-path.js";

/** What a {@link Sandbox} is made of. */
export interface SandboxOptions {
  /** The pipeline's folder: relative paths resolve against it, and everything under it is allowed. */
  readonly baseDir: string;
  /** Further files and folders the pipeline may read and write (relative ones resolve against `baseDir`). */
  readonly allowPaths?: readonly string[];
  /**
   * linea's own folders (the cache, checkpoints): DuckDB must reach them to store and load results, but a
   * step's read or write path is not allowed there unless it is inside `baseDir` or an allowed path anyway.
   */
  readonly ownDirs?: readonly string[];
}

/** A path as a step gave it, resolved: `absolute` as written, `real` with symbolic links followed. */
export interface ResolvedPath {
  readonly given: string;
  readonly absolute: string;
  readonly real: string;
}

/** True when `path` is `root` or inside it (both absolute and normalized). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Where a pipeline may read and write: its `baseDir` and the paths it is explicitly allowed. A path is
 * inside when its real form (`..` resolved, symbolic links followed) is, so neither `..` nor a link that
 * points out of the project escapes. The one place linea decides this: planning checks step
 * paths with it, pipeline files check their module and folder paths with it, and DuckDB is confined to
 * the same folders ({@link duckdbAccess}).
 */
export class Sandbox {
  readonly baseDir: string;
  /** baseDir and the allowed paths, absolute, with their real forms too. */
  readonly roots: readonly string[];
  /** The allowed paths as given (for messages). */
  readonly allowPaths: readonly string[];
  private readonly ownDirs: readonly string[];

  constructor(options: SandboxOptions) {
    this.baseDir = resolve(options.baseDir);
    this.allowPaths = [...(options.allowPaths ?? [])];
    const roots = [this.baseDir, ...this.allowPaths.map((p) => resolve(this.baseDir, p))];
    this.roots = unique(roots.flatMap((root) => [root, realPathOf(root)]));
    this.ownDirs = unique((options.ownDirs ?? []).map((d) => resolve(this.baseDir, d)));
  }

  /** A path resolved against baseDir, in both its written and its real form. */
  resolve(given: string): ResolvedPath {
    const absolute = resolve(this.baseDir, given);
    return { given, absolute, real: realPathOf(absolute) };
  }

  /** True when the path (resolved against baseDir), its symbolic links followed, is under baseDir or an allowed path. */
  allows(given: string): boolean {
    return this.contains(this.resolve(given).real);
  }

  /**
   * The folders and files DuckDB may open: baseDir, the allowed paths and linea's own folders (each in its
   * written and real form: DuckDB compares the real path of a file it opens).
   */
  duckdbAccess(): { directories: string[]; paths: string[] } {
    const directories: string[] = [];
    const paths: string[] = [];
    for (const root of unique([...this.roots, ...this.ownDirs.flatMap((d) => [d, realPathOf(d)])])) {
      const isFile = statSync(root, { throwIfNoEntry: false })?.isFile() === true;
      (isFile ? paths : directories).push(root);
    }
    return { directories, paths };
  }

  private contains(path: string): boolean {
    return this.roots.some((root) => isInside(root, path));
  }
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
