// An S3-compatible server on 127.0.0.1 for the tests (s3rver), with a bucket `linea`; stopped after the file
// (its folder too: not a tempDir, which goes after each test, so that one server may serve a whole file).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEachFile } from "./cleanup.js";

const servers: Array<{ close(): Promise<void> }> = [];
const folders: string[] = [];

afterEachFile(async () => {
  for (const server of servers.splice(0)) await server.close();
  // Retried, and never failing the file: s3rver may still be finishing a write (ENOTEMPTY).
  for (const folder of folders.splice(0)) {
    try {
      rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch (error) {
      process.stderr.write(`test cleanup: could not remove ${folder}: ${(error as Error).message}\n`);
    }
  }
});

/**
 * Starts s3rver on a free port; returns an address `s3://linea/<prefix>?endpoint=http://127.0.0.1:PORT`, and
 * `stop()` to take the server away mid-test (a store lost).
 */
export async function startS3Server(prefix = "store"): Promise<{ address: (prefix?: string) => string; endpoint: string; stop: () => Promise<void> }> {
  process.env.AWS_ACCESS_KEY_ID ??= "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY ??= "S3RVER";
  const specifier = "s3rver"; // untyped: imported through a variable, typed here
  const { default: S3rver } = (await import(specifier)) as { default: new (options: object) => { run(): Promise<{ port: number }>; close(): Promise<void> } };
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: folders[folders.push(mkdtempSync(join(tmpdir(), "linea-s3-"))) - 1], configureBuckets: [{ name: "linea" }] });
  const { port } = await server.run();
  servers.push(server);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (servers.includes(server)) servers.splice(servers.indexOf(server), 1);
    await server.close();
  };
  return { endpoint, address: (p = prefix) => `s3://linea/${p}?endpoint=${encodeURIComponent(endpoint)}`, stop };
}
