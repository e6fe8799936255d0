import { appendFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { errorMessage } from "../util/error-message.js";
import { makeDirectory } from "../util/make-directory.js";

/** Spools being written by this process: never imported by it, whatever their pid says. */
const active = new Set<string>();

/** True while a {@link SpoolWriter} of this process owns the spool at `path`. */
export function isActiveSpool(path: string): boolean {
  return active.has(path);
}

/**
 * Appends lines to a spool file, write-behind: `append` only queues (it never waits, nor fails), and one
 * `appendFile` at a time writes whatever queued meanwhile, so a burst of events costs one write. Lines reach
 * the file whole and in order. The first failure is reported once; later lines are then dropped (the
 * caller keeps its own copy of what matters).
 */
export class SpoolWriter {
  private queue: string[] = [];
  private writing: Promise<void> | undefined;
  private folderMade = false;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly onError: (message: string) => void,
  ) {
    active.add(path);
  }

  /** True once a write failed: the file misses lines. */
  get broken(): boolean {
    return this.failed;
  }

  /** Queues one line (its text without the line feed). */
  append(line: string): void {
    if (this.failed) return;
    this.queue.push(line);
    this.writing ??= this.drain();
  }

  /** Resolves once every line queued so far is written (or the writer has failed). Never rejects. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  /** Deletes the spool file, once the queue has drained. */
  async remove(): Promise<void> {
    await this.flush();
    await rm(this.path, { force: true });
  }

  /** Lets this process import the spool (its owner is done with it, whether or not it was written). */
  release(): void {
    active.delete(this.path);
  }

  private async drain(): Promise<void> {
    try {
      await Promise.resolve(); // lines appended in the same tick go out in the first write
      while (this.queue.length > 0) {
        const text = `${this.queue.join("\n")}\n`;
        this.queue = [];
        if (!this.folderMade) {
          await makeDirectory(dirname(this.path));
          this.folderMade = true;
        }
        await appendFile(this.path, text);
      }
    } catch (error) {
      this.failed = true;
      this.queue = [];
      this.onError(errorMessage(error));
    } finally {
      this.writing = undefined;
    }
  }
}
