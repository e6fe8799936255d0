// Starts a test child with `node --import tsx` and collects its output.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../helpers/temp-dir.js";

export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with everything it printed once it has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function spawnChild(script: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/history", script), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiting: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of [...waiting]) {
      const match = w.pattern.exec(stdout);
      if (match) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(match);
      }
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // "close", not "exit": a process can exit before the last of its output has been read from the pipes.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    process: child,
    line: (pattern) => new Promise((resolve, reject) => {
      const match = pattern.exec(stdout);
      if (match) return resolve(match);
      waiting.push({ pattern, resolve });
      void exit.then((e) => reject(new Error(`child ${script} exited (${e.code ?? e.signal}) before printing ${pattern}: ${e.stderr}`)));
    }),
    exited: () => exit,
  };
}
