import { randomBytes } from "node:crypto";
import { open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeDirectory } from "./make-directory.js";

/** Random once per process (a pid may be reused), then a counter: cheaper than random bytes per file. */
const PROCESS_HEX = randomBytes(4).toString("hex");
let tempCounter = 0;

/**
 * A temporary path beside `target` (same folder, so the final rename is atomic), hidden and unique:
 * `.<target>.<pid>.<hex>.tmp` (the sweep of leftovers reads the pid from it).
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${PROCESS_HEX}${(++tempCounter).toString(16)}.tmp`);
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Moves a finished temporary file into place: flushed to disk, then renamed over `target`, so a reader
 * sees the old file or the new one, never half of one. The temporary file is removed if the move fails.
 */
export async function commitFile(tempPath: string, target: string): Promise<void> {
  try {
    await fsyncPath(tempPath);
    await rename(tempPath, target);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  // Make the rename itself durable; some filesystems refuse to open a folder, which is fine to ignore.
  await fsyncPath(dirname(target)).catch(() => undefined);
}

/**
 * Produces `target` atomically: `write` fills a temporary file beside it, which then replaces `target`.
 * If `write` throws, the temporary file is removed and `target` is untouched.
 */
export async function writeAtomically(target: string, write: (tempPath: string) => Promise<void>): Promise<void> {
  await makeDirectory(dirname(target));
  const temp = tempPathFor(target);
  try {
    await write(temp);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await commitFile(temp, target);
}

/**
 * Writes text or bytes to `target` atomically, without syncing: a reader (and a process that was killed)
 * sees the old file or the new one whole; only a crash of the machine itself may leave the old one, or an
 * empty one. For files that may be lost but never half-read (the cache's index entries, checked on use).
 */
export async function replaceFile(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await writeFile(temp, data);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes text or bytes to `target` atomically. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, async (temp) => {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  });
}
