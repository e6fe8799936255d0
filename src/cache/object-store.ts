import { createHash, randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { commitFile } from "../util/atomic-file.js";
import { hashFile } from "./fingerprint.js";
import { makeDirectory } from "../util/make-directory.js";

/**
 * The formats data is stored in: Parquet (written by DuckDB's COPY), Arrow IPC (for Arrow-held data), or
 * JSON (a value dataset).
 */
export const STORED_FORMATS = ["parquet", "arrow", "json"] as const;
export type StoredFormat = (typeof STORED_FORMATS)[number];

/** A stored object: named by the sha256 of its bytes, which is checked again before it is read. */
export interface StoredObject {
  readonly sha256: string;
  readonly format: StoredFormat;
  readonly bytes: number;
}

const EXTENSION: Record<StoredFormat, string> = { parquet: "parquet", arrow: "arrow", json: "json" };
const SHA = /^[0-9a-f]{64}$/;

/**
 * Content-addressed storage of datasets: an object's name is the sha256 of its bytes, so identical
 * outputs are stored once, and an object is checked against its name before anything reads it.
 * Objects are moved into place only when complete (temporary file, flush, rename).
 */
export class ObjectStore {
  constructor(readonly dir: string) {}

  /** A fresh temporary path inside the store (same filesystem, so the final rename is atomic). */
  async tempPath(format: StoredFormat): Promise<string> {
    const tmp = join(this.dir, "tmp");
    await makeDirectory(tmp);
    return join(tmp, `${process.pid}-${randomBytes(6).toString("hex")}.${EXTENSION[format]}`);
  }

  pathOf(object: Pick<StoredObject, "sha256" | "format">): string {
    if (!SHA.test(object.sha256)) throw new Error(`not an object name: ${JSON.stringify(object.sha256)}`);
    return join(this.dir, object.sha256.slice(0, 2), `${object.sha256}.${EXTENSION[object.format]}`);
  }

  /**
   * Takes a finished temporary file into the store; an object with the same bytes already there is kept.
   * `knownSha256`: the bytes' hash when the caller has just computed it (the object is checked on read anyway).
   */
  async put(tempPath: string, format: StoredFormat, knownSha256?: string): Promise<StoredObject> {
    try {
      const [sha256, info] = await Promise.all([knownSha256 ?? hashFile(tempPath), stat(tempPath)]);
      const object = { sha256, format, bytes: info.size };
      const target = this.pathOf(object);
      if (await exists(target)) {
        await rm(tempPath, { force: true });
      } else {
        await makeDirectory(dirname(target));
        await commitFile(tempPath, target);
      }
      return object;
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
  }

  /** True when the object is there and its bytes still hash to its name. A corrupted object is removed. */
  async verify(object: StoredObject): Promise<boolean> {
    const path = this.pathOf(object);
    try {
      if ((await hashFile(path)) === object.sha256) return true;
    } catch {
      return false;
    }
    await rm(path, { force: true });
    return false;
  }

  async remove(object: Pick<StoredObject, "sha256" | "format">): Promise<void> {
    await rm(this.pathOf(object), { force: true });
  }

  /** Every object in the store with its size and last modification (for eviction). */
  async list(): Promise<Array<StoredObject & { readonly mtimeMs: number }>> {
    const found: Array<StoredObject & { mtimeMs: number }> = [];
    for (const prefix of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const file of await readdir(join(this.dir, prefix)).catch(() => [] as string[])) {
        const match = /^([0-9a-f]{64})\.(parquet|arrow|json)$/.exec(file);
        if (!match) continue;
        const info = await stat(join(this.dir, prefix, file)).catch(() => undefined);
        if (info) found.push({ sha256: match[1] as string, format: match[2] as StoredFormat, bytes: info.size, mtimeMs: info.mtimeMs });
      }
    }
    return found;
  }

  /** Removes temporary files older than `olderThanMs`: leftovers of writers that crashed. */
  async sweepTemp(olderThanMs: number): Promise<void> {
    const tmp = join(this.dir, "tmp");
    for (const file of await readdir(tmp).catch(() => [] as string[])) {
      const info = await stat(join(tmp, file)).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > olderThanMs) await rm(join(tmp, file), { force: true });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The sha256 of a text, hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

