import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code;

/** The folder exists (true), is missing (false); anything else there throws. */
async function isFolder(path: string): Promise<boolean> {
  try {
    if ((await stat(path)).isDirectory()) return true;
  } catch (error) {
    if (codeOf(error) === "ENOENT" || codeOf(error) === "ENOTDIR") return false;
    throw error;
  }
  throw Object.assign(new Error(`EEXIST: ${path} exists and is not a folder`), { code: "EEXIST" });
}

/**
 * Creates folder `path` and its missing parents, one level at a time, and fails promptly with the path.
 * Not `mkdir(path, { recursive: true })`: Node's recursive mkdir loops forever when a parent exists but
 * refuses new entries with ENOENT (as /proc does: a write to /proc/x/y.csv hung the run).
 */
export async function makeDirectory(path: string): Promise<void> {
  const target = resolve(path);
  const missing: string[] = [];
  try {
    for (let current = target; !(await isFolder(current)); current = dirname(current)) {
      missing.push(current);
      if (dirname(current) === current) break;
    }
    for (const folder of missing.reverse()) {
      await mkdir(folder).catch(async (error: unknown) => {
        // Made meanwhile by someone else: fine, if it is a folder.
        if (codeOf(error) !== "EEXIST" || !(await isFolder(folder))) throw error;
      });
    }
  } catch (error) {
    throw Object.assign(new Error(`cannot create folder ${target}: ${(error as Error).message}`, { cause: error }), { code: codeOf(error) });
  }
}
