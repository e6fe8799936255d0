import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { replaceFile } from "../util/atomic-file.js";
import { makeDirectory } from "../util/make-directory.js";
import { CACHE_KEY_PATTERN, getInBatches, type CacheIndex, type KeyEntry } from "./cache-index.js";

/**
 * The {@link CacheIndex} in a folder: one small JSON file per key (`ab/abcd....json`), each replaced
 * atomically but not synced: an entry is written only once the data it points at is durable, a reader sees
 * a whole entry or none, and what an entry points at is checked before it is read, so an entry lost to a
 * machine crash is a miss, never wrong data. (Syncing a file per step cost more than the steps.)
 */
export class FolderCacheIndex implements CacheIndex {
  readonly dir: string;
  /** Prefix folders made (or being made) by this index. */
  private readonly made = new Map<string, Promise<void>>();

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get location(): string {
    return this.dir;
  }

  private pathOf(key: string): string {
    if (!CACHE_KEY_PATTERN.test(key)) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<KeyEntry | undefined> {
    try {
      const entry = JSON.parse(await readFile(this.pathOf(key), "utf8")) as KeyEntry;
      return entry.format === 1 && entry.key === key ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Lists the prefix folders the keys fall in, then reads only the entries that are there: a cold cache
   * costs a few folder reads, not a failed file read per step.
   */
  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KeyEntry>> {
    const prefixes = [...new Set(keys.map((key) => this.pathOf(key)).map((path) => dirname(path)))];
    const listed = new Set<string>();
    await Promise.all(prefixes.map(async (folder) => {
      for (const file of await readdir(folder).catch(() => [] as string[])) listed.add(join(folder, file));
    }));
    return getInBatches(keys.filter((key) => listed.has(this.pathOf(key))), (key) => this.get(key));
  }

  async put(entry: KeyEntry): Promise<void> {
    const path = this.pathOf(entry.key);
    const folder = dirname(path);
    let made = this.made.get(folder);
    if (made === undefined) {
      // The index's folder once, then each prefix folder with one mkdir (no walk up the path per prefix).
      let root = this.made.get(this.dir);
      if (root === undefined) {
        root = makeDirectory(this.dir);
        this.made.set(this.dir, root);
        root.catch(() => this.made.delete(this.dir));
      }
      made = root.then(() => mkdir(folder)).catch(async (error: unknown) => {
        if ((error as { code?: unknown }).code !== "EEXIST") await makeDirectory(folder);
      });
      this.made.set(folder, made);
      made.catch(() => this.made.delete(folder));
    }
    await made;
    await replaceFile(path, JSON.stringify(entry));
  }

  async touch(entry: KeyEntry, now: string = new Date().toISOString()): Promise<void> {
    await this.put({ ...entry, hits: entry.hits + 1, lastUsed: now });
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async list(): Promise<KeyEntry[]> {
    const entries: KeyEntry[] = [];
    for (const prefix of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const file of await readdir(join(this.dir, prefix)).catch(() => [] as string[])) {
        const key = file.replace(/\.json$/, "");
        if (!CACHE_KEY_PATTERN.test(key)) continue;
        const entry = await this.get(key);
        if (entry) entries.push(entry);
      }
    }
    return entries;
  }
}
