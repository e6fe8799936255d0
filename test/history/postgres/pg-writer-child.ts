// Runs argv[4] runs at once with historyDb = argv[2] (a PostgreSQL URL), as pipeline `writer-<argv[3]>`, and
// prints one JSON line with each run's id and warnings.
import { Orchestrator, type Step } from "../../../src/index.js";

const [url, label, count] = process.argv.slice(2) as [string, string, string];

function steps(): Step[] {
  let bTries = 0;
  return [
    { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
    { name: "b", inputs: ["a"], outputs: ["b"], run: ({ a }) => { if (++bTries === 1) throw new Error("flaky"); return a; } },
    { name: "c", inputs: ["a"], outputs: ["c"], run: () => { throw new Error("broken"); } },
    { name: "d", inputs: ["c"], outputs: ["d"], run: ({ c }) => c },
  ];
}

async function recordOne(): Promise<{ runId: string; warnings: string[] }> {
  const warnings: string[] = [];
  const orchestrator = new Orchestrator({
    name: `writer-${label}`, steps: steps(), historyDb: url, logger: { warn: (m) => warnings.push(m) },
    continueOnError: true, retry: { maxRetries: 1, delayMs: 1, jitter: 0 }, cache: false, checkpoint: false,
  });
  try {
    const result = await orchestrator.execute();
    return { runId: result.runId, warnings };
  } finally {
    await orchestrator.close();
  }
}

const runs = await Promise.all(Array.from({ length: Number(count) }, () => recordOne()));
process.stdout.write(`${JSON.stringify({ label, runs })}\n`);
