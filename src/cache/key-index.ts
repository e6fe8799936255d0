import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-file.js";
import type { StoredResult } from "./stored-output.js";

/** A cache entry: a key's stored result with its bookkeeping. Kept apart from the data it points to. */
export interface KeyEntry extends StoredResult {
  readonly format: 1;
  readonly pipeline: string;
  readonly created: string;
  readonly lastUsed: string;
  readonly hits: number;
}

const KEY = /^[0-9a-f]{64}$/;

/** Cache entries by key, one small JSON file each (`keys/ab/abcd....json`), each written atomically. */
export class KeyIndex {
  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The entry of `key`, or undefined (an unreadable or foreign entry counts as none). */
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

  /** Records a hit: one more use, now. */
  async touch(entry: KeyEntry): Promise<void> {
    await this.put({ ...entry, hits: entry.hits + 1, lastUsed: new Date().toISOString() });
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Every entry (for eviction). */
  async list(): Promise<KeyEntry[]> {
    const entries: KeyEntry[] = [];
    for (const prefix of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const file of await readdir(join(this.dir, prefix)).catch(() => [] as string[])) {
        const key = file.replace(/\.json$/, "");
        if (!KEY.test(key)) continue;
        const entry = await this.get(key);
        if (entry) entries.push(entry);
      }
    }
    return entries;
  }
}
