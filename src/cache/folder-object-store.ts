import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { commitFile } from "../util/atomic-file.js";
import { staleTemp } from "../util/sweep-temp-files.js";
import { hashFile } from "./fingerprint.js";
import { OBJECT_NAME, type ListedObject, type ObjectStore, type StoredFormat, type StoredObject } from "./object-store.js";

const EXTENSION: Record<StoredFormat, string> = { parquet: "parquet", arrow: "arrow", json: "json" };

/**
 * The {@link ObjectStore} in a local folder: `<dir>/ab/abcd....parquet`, scratch files in `<dir>/tmp/` (same
 * filesystem, so taking one in is an atomic rename).
 */
export class FolderObjectStore implements ObjectStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get location(): string {
    return this.dir;
  }

  async tempPath(format: StoredFormat): Promise<string> {
    const tmp = join(this.dir, "tmp");
    await mkdir(tmp, { recursive: true });
    return join(tmp, `${process.pid}-${randomBytes(6).toString("hex")}.${EXTENSION[format]}`);
  }

  /** Where an object's file is (whether or not it is there). @throws Error for a malformed name. */
  pathOf(object: Pick<StoredObject, "sha256" | "format">): string {
    if (!OBJECT_NAME.test(object.sha256)) throw new Error(`not an object name: ${JSON.stringify(object.sha256)}`);
    return join(this.dir, object.sha256.slice(0, 2), `${object.sha256}.${EXTENSION[object.format]}`);
  }

  async put(localPath: string, format: StoredFormat, knownSha256?: string): Promise<StoredObject> {
    try {
      const [sha256, info] = await Promise.all([knownSha256 ?? hashFile(localPath), stat(localPath)]);
      const object = { sha256, format, bytes: info.size };
      const target = this.pathOf(object);
      if (await exists(target)) {
        await rm(localPath, { force: true });
      } else {
        await mkdir(dirname(target), { recursive: true });
        await commitFile(localPath, target);
      }
      return object;
    } catch (error) {
      await rm(localPath, { force: true });
      throw error;
    }
  }

  has(object: StoredObject): Promise<boolean> {
    return exists(this.pathOf(object));
  }

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

  async localFile(object: StoredObject): Promise<string | undefined> {
    return (await this.verify(object)) ? this.pathOf(object) : undefined;
  }

  async getFile(object: StoredObject, destination: string): Promise<void> {
    const path = await this.localFile(object);
    if (path === undefined) throw new Error(`stored object ${object.sha256} is missing or corrupted in ${this.dir}`);
    await mkdir(dirname(resolve(destination)), { recursive: true });
    await copyFile(path, destination);
  }

  async getStream(object: StoredObject): Promise<Readable> {
    const path = this.pathOf(object);
    if (!(await exists(path))) throw new Error(`stored object ${object.sha256} is missing in ${this.dir}`);
    return createReadStream(path);
  }

  async remove(object: Pick<StoredObject, "sha256" | "format">): Promise<void> {
    await rm(this.pathOf(object), { force: true });
  }

  async list(): Promise<ListedObject[]> {
    const found: ListedObject[] = [];
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

  /**
   * Removes scratch files older than `olderThanMs`, and those whose writer (the pid that starts their name)
   * is gone: leftovers of writers that crashed. Never throws.
   */
  async sweepTemp(olderThanMs: number): Promise<void> {
    const tmp = join(this.dir, "tmp");
    const now = Date.now();
    for (const file of await readdir(tmp).catch(() => [] as string[])) {
      const info = await stat(join(tmp, file)).catch(() => undefined);
      if (info === undefined) continue;
      const pid = /^(\d+)-/.exec(file)?.[1];
      const stale = pid === undefined ? now - info.mtimeMs > olderThanMs : staleTemp(Number(pid), info.mtimeMs, now, olderThanMs);
      if (stale) await rm(join(tmp, file), { force: true }).catch(() => undefined);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
