// Worker processes for the distributed tests: real `linea worker` processes on 127.0.0.1's Redis.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterEachTest } from "../helpers/cleanup.js";
import { ROOT } from "../helpers/temp-dir.js";
import { childEnv, TSX } from "./coordinator.js";

export interface WorkerProcess {
  readonly process: ChildProcess;
  /** Everything it wrote to stderr so far (its log lines). */
  log(): string;
  /** Resolves once its log matches `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

const started: WorkerProcess[] = [];

afterEachTest(async () => {
  for (const worker of started.splice(0)) {
    if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill("SIGKILL");
    await worker.exited;
  }
});

/** Starts `linea worker <pipeline> --queue <queue> --store <store> ...args` in `cwd`. */
export function startWorker(cwd: string, pipeline: string, queue: string, store: string, args: string[] = [], env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, "test/distributed/worker-child.ts"), pipeline, "--queue", queue, "--store", store, ...args], {
    cwd, stdio: ["ignore", "ignore", "pipe"], env: childEnv(env),
  });
  let log = "";
  const waiting: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }> = [];
  // "close", not "exit": the worker can exit before the last of its log has been read from the pipe.
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
    for (const w of [...waiting]) {
      const match = w.pattern.exec(log);
      if (match) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(match);
      }
    }
  });
  void exited.then(() => { for (const w of waiting.splice(0)) w.reject(new Error(`worker exited before ${w.pattern}: ${log}`)); });
  const worker: WorkerProcess = {
    process: child, log: () => log, exited,
    waitFor: (pattern) => new Promise((resolve, reject) => {
      const match = pattern.exec(log);
      if (match) return resolve(match);
      waiting.push({ pattern, resolve, reject });
    }),
  };
  started.push(worker);
  return worker;
}

/** A queue name no other test (nor another helper's run of it) uses. */
export function uniqueQueue(label: string): string {
  return `linea-test.${label}.${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}`;
}
