import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import { ROOT, tempDir } from "../helpers/temp-dir.js";

/** What a command printed, and how it exited. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A project folder with a copy of the fixtures, as a user's would be. */
export function project(): string {
  const dir = tempDir("linea-cli-");
  cpSync(join(ROOT, "fixtures"), join(dir, "fixtures"), { recursive: true });
  mkdirSync(join(dir, "lineage-out"));
  return dir;
}

/** Runs `linea <argv>` in `cwd` in-process, capturing its output. `interrupt` fires Ctrl-C after that many ms. */
export async function linea(cwd: string, argv: string[], options: { interactive?: boolean; interrupt?: number; env?: Record<string, string> } = {}): Promise<CliRun> {
  let out = "";
  let err = "";
  const io: CliIo = {
    cwd, env: options.env ?? {}, interactive: options.interactive ?? false,
    out: (text) => void (out += text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => void (err += text),
    onInterrupt: (handler) => {
      const timer = options.interrupt === undefined ? undefined : setTimeout(() => handler("SIGINT"), options.interrupt);
      return () => clearTimeout(timer);
    },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

export const EXAMPLE = join(ROOT, "steps/pipeline.ts");
