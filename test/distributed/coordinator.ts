// Runs `linea <argv>` from linea's sources in a child process under tsx, as the workers do: the coordinator
// and the workers must load the same pipeline code the same way (a pipeline's fingerprint includes its
// functions' source text, which vitest's transform would change).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../helpers/temp-dir.js";

export const TSX = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/**
 * The children's environment: tsx reads linea's tsconfig (its `paths` make `linea` in a pipeline mean
 * src/index.ts, as in vitest), whatever folder the child runs in.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json"), ...extra };
}

export interface CoordinatorRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** Starts `linea <argv>` in `cwd`; `onErr` sees its stderr as it comes. */
export function coordinator(cwd: string, argv: string[], onErr?: (text: string) => void, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, "test/cli/linea-from-src.ts"), ...argv], { cwd, stdio: ["ignore", "pipe", "pipe"], env: childEnv(env) });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => {
    err += c.toString();
    onErr?.(err);
  });
  // "close", not "exit": the process can exit before the last of its output (its --json result) has been read.
  const done = new Promise<CoordinatorRun>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, out, err })));
  return { child, done };
}
