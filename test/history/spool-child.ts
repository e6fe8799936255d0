// Begins a run recorded in the history at argv[2] and prints `spooled <runId> <events>` once the events up to
// its slow step's start are in the spool file. The spool test SIGKILLs this process then.
import { EventBus, EventPriority, Orchestrator, type Step } from "../../src/index.js";
import { sleep } from "../../src/util/sleep.js";
import { HistoryBridge } from "./history-bridge.js";

const dbPath = process.argv[2] as string;
const bridge = new HistoryBridge({ dbPath });
const bus: EventBus = bridge.bus;
bus.registerHook("node_start", async (payload) => {
  if (payload.stepName !== "slow") return;
  await bridge.begun;
  await bridge.recorder?.flush();
  process.stdout.write(`spooled ${payload.runId} ${bridge.events.length}\n`);
}, EventPriority.LOW);
const steps: Step[] = [
  { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
  { name: "b", inputs: ["a"], outputs: ["b"], run: ({ a }) => a },
  { name: "slow", inputs: ["b"], outputs: ["slow"], run: async (_inputs, ctx) => { await sleep(60_000, ctx.signal); return []; } },
];
const orchestrator = new Orchestrator({ name: "doomed", steps, eventBus: bus, cache: false, checkpoint: false, maxWorkers: 1, logger: { warn: () => undefined } });
await orchestrator.execute();
process.stdout.write("finished\n");
