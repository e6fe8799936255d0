import { readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic-file.js";
import { CACHE_KEY_PATTERN, type CacheIndex, type KeyEntry } from "./cache-index.js";

/** The {@link CacheIndex} in a folder: one small JSON file per key (`ab/abcd....json`), each written atomically. */
export class FolderCacheIndex implements CacheIndex {
  readonly dir: string;

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

  async put(entry: KeyEntry): Promise<void> {
    await writeFileAtomic(this.pathOf(entry.key), JSON.stringify(entry));
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
