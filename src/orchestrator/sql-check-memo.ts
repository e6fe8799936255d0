import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { makeDirectory } from "../util/make-directory.js";
import { replaceFile } from "../util/atomic-file.js";
import { sha256Hex } from "../util/sha256.js";
import { LINEA_VERSION } from "../util/version.js";

/** How many passed checks the memo keeps (the newest). */
const MEMO_LIMIT = 2000;

/**
 * Which `sql` bodies have passed the SQL engine's check before, kept in a small file (the cache folder's
 * `checked-sql.json`), so that a run does not open the engine just to parse SQL it parsed before: a run
 * whose steps are all reused then never loads DuckDB. An entry is the sha256 of the engine's name and
 * version, linea's version and the SQL text; the check is a pure function of those, so a remembered pass is
 * the check's own answer. Only passes are kept. Best-effort: a memo that cannot be read or written is as if
 * empty, and two processes writing at once lose, at worst, entries that are checked again.
 */
export class SqlCheckMemo {
  private passed: string[] | undefined;

  constructor(private readonly path: string) {}

  /** The memo's key of one body on one engine. */
  static keyOf(engine: string, version: string | undefined, sql: string): string {
    return sha256Hex(`${engine}\u0000${version ?? ""}\u0000${LINEA_VERSION}\u0000${sql}`);
  }

  /** True when the body with this key passed before. */
  async has(key: string): Promise<boolean> {
    return (await this.load()).includes(key);
  }

  /** Remembers that these keys passed (written at once, atomically; a failure is ignored). */
  async add(keys: readonly string[]): Promise<void> {
    const passed = await this.load();
    const fresh = keys.filter((k) => !passed.includes(k));
    if (fresh.length === 0) return;
    passed.push(...fresh);
    if (passed.length > MEMO_LIMIT) passed.splice(0, passed.length - MEMO_LIMIT);
    try {
      await makeDirectory(dirname(this.path));
      await replaceFile(this.path, `${JSON.stringify({ format: 1, passed })}\n`);
    } catch {
      // Only a cost: the bodies are checked again next time.
    }
  }

  private async load(): Promise<string[]> {
    if (this.passed !== undefined) return this.passed;
    try {
      const parsed = JSON.parse(await readFile(this.path, "utf8")) as { format?: unknown; passed?: unknown };
      this.passed = parsed.format === 1 && Array.isArray(parsed.passed) ? parsed.passed.filter((k): k is string => typeof k === "string" && /^[0-9a-f]{64}$/.test(k)) : [];
    } catch {
      this.passed = [];
    }
    return this.passed;
  }
}
