import { readdir, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { isProcessAlive } from "./process-alive.js";

/** How old a temporary file must be before any sweep removes it whoever wrote it: no write takes this long. */
export const STALE_TEMP_MS = 60 * 60_000;

/**
 * The name {@link tempPathFor} gives a temporary file: `.<target>.<pid>.<hex>.tmp`. The pid says who writes it.
 */
const ATOMIC_TEMP = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/** Options of {@link sweepTempFiles}. */
export interface SweepTempOptions {
  /** Files older than this are removed whatever their pid. @default STALE_TEMP_MS */
  readonly olderThanMs?: number;
  /** The current time. @default Date.now() */
  readonly now?: number;
}

/** A folder to sweep, and how deep to look under it (1: its own files only). */
export interface TempFolder {
  readonly dir: string;
  readonly depth: number;
}

/** The pid a temporary file's name carries, or undefined when `name` is not one of linea's temporary files. */
export function tempFileOwner(name: string): number | undefined {
  const match = ATOMIC_TEMP.exec(name);
  return match === null ? undefined : Number(match[1]);
}

/**
 * True when nobody will finish the temporary file any more: it is older than `olderThanMs`, or the process
 * its name names is gone (this host's pids only: linea's folders are local).
 */
export function staleTemp(pid: number, mtimeMs: number, now: number, olderThanMs: number): boolean {
  if (now - mtimeMs > olderThanMs) return true;
  return pid !== process.pid && !isProcessAlive(pid);
}

/** Object-store folders (`ab/` under `objects/`) hold no temporary files and may be many: not walked. */
function skipped(dir: string, name: string): boolean {
  return /^[0-9a-f]{2}$/.test(name) && basename(dir) === "objects";
}

async function sweepDir(dir: string, depth: number, options: Required<SweepTempOptions>): Promise<number> {
  if (depth < 1) return 0;
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipped(dir, entry.name)) removed += await sweepDir(path, depth - 1, options);
      continue;
    }
    const pid = tempFileOwner(entry.name);
    if (pid === undefined || !entry.isFile()) continue;
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !staleTemp(pid, info.mtimeMs, options.now, options.olderThanMs)) continue;
    await rm(path, { force: true }).then(() => removed++, () => undefined);
  }
  return removed;
}

/**
 * Removes the temporary files (`.<name>.<pid>.<hex>.tmp`, as atomic writes make them) that crashed writers
 * left in `folders` (each to its depth): those older than an hour, and those whose process is gone.
 * Best-effort: a folder that is missing or unreadable is skipped, a file that cannot be removed is left;
 * it never throws. Returns how many files it removed.
 */
export async function sweepTempFiles(folders: Iterable<TempFolder>, options: SweepTempOptions = {}): Promise<number> {
  const settings: Required<SweepTempOptions> = { olderThanMs: options.olderThanMs ?? STALE_TEMP_MS, now: options.now ?? Date.now() };
  let removed = 0;
  for (const { dir, depth } of folders) removed += await sweepDir(dir, depth, settings).catch(() => 0);
  return removed;
}
