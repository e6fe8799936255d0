import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEachTest } from "./cleanup.js";
import { Orchestrator, type OrchestratorOptions } from "../../src/index.js";
import { quietLogger } from "./dag-shapes.js";

const dirs: string[] = [];
const orchestrators: Orchestrator[] = [];

afterEachTest(async () => {
  for (const o of orchestrators.splice(0)) await o.close();
  for (const dir of dirs.splice(0)) removeTemporary(dir);
});

/**
 * Removes a test's temporary folder. A process the test started may still be writing into it (a worker or a
 * coordinator being killed), so rmdir can meet a file added after the listing (ENOTEMPTY): retried, and a folder
 * that still cannot go is left in the system's temp folder rather than failing a test that passed.
 */
export function removeTemporary(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  } catch (error) {
    process.stderr.write(`test cleanup: could not remove ${dir}: ${(error as Error).message}\n`);
  }
}

/** A fresh temporary folder, removed after the test. */
export function tempDir(prefix = "linea-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/**
 * An orchestrator whose DuckDB is closed after the test; warnings are kept, not printed. The cache and
 * checkpoints and the history are off unless a test turns them on (with folders of its own), so tests never share them.
 */
export function testOrchestrator(options: Partial<OrchestratorOptions> & Pick<OrchestratorOptions, "steps">): Orchestrator {
  const orchestrator = new Orchestrator({ name: "test", logger: quietLogger(), cache: false, checkpoint: false, historyDb: false, ...options });
  orchestrators.push(orchestrator);
  return orchestrator;
}

/** The repository's root folder. */
export const ROOT = new URL("../..", import.meta.url).pathname;
