// Runs the crash test's pipeline in `dir`, printing `started <runId>` once the run (and its checkpoint)
// has begun and `completed <step>` as steps finish. The crash test SIGKILLs this process at random moments.
import { EventBus, Orchestrator } from "../../src/index.js";
import { crashSteps } from "./crash-pipeline.js";

const dir = process.argv[2] as string;
const bus = new EventBus();
bus.registerHook("pipeline_start", (p) => void process.stdout.write(`started ${p.runId}\n`));
bus.registerHook("node_complete", (p) => void process.stdout.write(`completed ${p.stepName}\n`));
const orchestrator = new Orchestrator({ name: "crashy", steps: crashSteps(), baseDir: dir, eventBus: bus, maxWorkers: 2, logger: { warn: () => undefined } });
const result = await orchestrator.execute();
process.stdout.write(`done ${result.status}\n`);
await orchestrator.close();
