// Runs the crash test's pipeline in `dir`, printing `started <runId>` once the run (and its checkpoint) has
// begun and `completed <step>` as steps finish. It SIGKILLs itself at one deterministic kill point, given as
// `<operation>:<n>:<before|after>`: the n-th call of a store operation (`objects.put`, `index.put`,
// `checkpoints.write`, `checkpoints.recordNode`) or the n-th `node_complete` event (`node_complete:<n>:after`).
// The stores are the default folder ones, given as instances that count their calls.
import {
  EventBus, FolderCacheIndex, FolderCheckpointStore, FolderObjectStore, Orchestrator, type CacheIndex, type CheckpointStore, type ObjectStore,
} from "../../src/index.js";
import { crashSteps } from "./crash-pipeline.js";

const dir = process.argv[2] as string;
const [operation, nth, when] = (process.argv[3] ?? "none:0:after").split(":") as [string, string, string];
const counts = new Map<string, number>();

function die(): never {
  process.kill(process.pid, "SIGKILL");
  throw new Error("unreachable");
}

/** Counts a call of `name` (calls may overlap: each keeps its own number); dies at the kill point. */
function begin(name: string): number {
  const n = (counts.get(name) ?? 0) + 1;
  counts.set(name, n);
  if (name === operation && when === "before" && n === Number(nth)) die();
  return n;
}

function end(name: string, n: number): void {
  if (name === operation && when === "after" && n === Number(nth)) die();
}

function counted<T extends object>(name: string, target: T, methods: ReadonlyArray<keyof T & string>): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (!methods.includes(key as keyof T & string)) return value.bind(object);
      return async (...args: unknown[]) => {
        const n = begin(`${name}.${String(key)}`);
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        end(`${name}.${String(key)}`, n);
        return result;
      };
    },
  });
}

const objects: ObjectStore = counted("objects", new FolderObjectStore(`${dir}/.linea/cache/objects`), ["put"]);
const index: CacheIndex = counted("index", new FolderCacheIndex(`${dir}/.linea/cache/keys`), ["put"]);
const checkpoints: CheckpointStore = counted("checkpoints", new FolderCheckpointStore(`${dir}/.linea/checkpoints`), ["write", "recordNode"]);

const bus = new EventBus();
bus.registerHook("pipeline_start", (p) => void process.stdout.write(`started ${p.runId}\n`));
bus.registerHook("node_complete", (p) => {
  process.stdout.write(`completed ${p.stepName}\n`);
  end("node_complete", begin("node_complete"));
});
const orchestrator = new Orchestrator({
  name: "crashy", steps: crashSteps(), baseDir: dir, eventBus: bus, maxWorkers: 2, logger: { warn: () => undefined },
  cacheDir: { objects, index, fileVersionsDir: `${dir}/.linea/cache/files` }, checkpointDir: checkpoints,
});
const result = await orchestrator.execute();
process.stdout.write(`done ${result.status}\n`);
await orchestrator.close();
