// The StepExecutor contract, run over the in-process executor (the default) and a second one written for
// the tests that sends every task and result through JSON, as a queue to other machines would: the same
// pipeline must give the same outcomes, attempts, checks and data through both.
import { describe, expect, it } from "vitest";
import { Orchestrator, type Step, type StepExecutor, type StepTask, type StepTaskResult } from "../../src/index.js";
import { quietLogger } from "../helpers/dag-shapes.js";

/** Wraps an executor: every task and result crosses a JSON boundary, and the result's `thrown` never does. */
class JsonRoundTripExecutor implements StepExecutor {
  readonly kind = "json-round-trip";
  readonly remote = false;
  readonly tasks: StepTask[] = [];

  constructor(private readonly inner: StepExecutor) {}

  async run(task: StepTask, signal: AbortSignal): Promise<StepTaskResult> {
    const sent = JSON.parse(JSON.stringify(task)) as StepTask;
    expect(sent).toEqual(task); // plain data: nothing lost on the way
    this.tasks.push(sent);
    const { thrown: _thrown, ...plain } = await this.inner.run(sent, signal);
    return JSON.parse(JSON.stringify(plain)) as StepTaskResult;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function steps(): Step[] {
  let flaky = 0;
  return [
    { name: "rows", outputs: ["rows"], params: { n: 3 }, run: (_i: unknown, ctx: { params: { n: number } }) => Array.from({ length: ctx.params.n }, (_, k) => ({ k })) } as never,
    { name: "sql", inputs: { r: "rows" }, outputs: ["doubled"], sql: "SELECT k * 2 AS k2 FROM r" },
    { name: "flaky", inputs: ["doubled"], outputs: ["flaky"], retry: { maxRetries: 2, delayMs: 1, jitter: 0 }, run: ({ doubled }: { doubled: unknown }) => {
      if (++flaky < 2) throw new Error("not yet");
      return doubled;
    } } as never,
    { name: "checked", inputs: { f: "flaky" }, outputs: ["checked"], sql: "SELECT * FROM f",
      checks: [{ kind: "not_null", column: "k2" }, { kind: "row_count", min: 10, severity: "warn" }] } as never,
    { name: "broken", inputs: ["rows"], outputs: ["broken"], run: () => { throw new Error("broken on purpose"); } } as never,
  ];
}

const EXECUTORS: Array<{ name: string; executor: ((local: StepExecutor) => StepExecutor) | undefined }> = [
  { name: "InProcessStepExecutor", executor: undefined },
  { name: "JsonRoundTripExecutor", executor: (local) => new JsonRoundTripExecutor(local) },
];

describe.each(EXECUTORS)("StepExecutor contract: $name", ({ executor }) => {
  it("gives the same outcomes, attempts, checks and data", async () => {
    const orchestrator = new Orchestrator({
      name: "contract", steps: steps(), logger: quietLogger(), cache: false, checkpoint: false, historyDb: false, continueOnError: true,
      ...(executor ? { executor } : {}),
    });
    try {
      const result = await orchestrator.execute();
      const summary = Object.fromEntries(Object.entries(result.nodes).map(([name, n]) => [name, [n.status, n.attempts]]));
      expect(summary).toEqual({ rows: ["success", 1], sql: ["success", 1], flaky: ["success", 2], checked: ["success", 1], broken: ["failed", 1] });
      expect(result.nodes.checked?.checks?.map((c) => [c.name, c.status])).toEqual([["not_null(k2)", "pass"], ["row_count(min=10)", "fail"]]);
      expect(result.nodes.broken?.error?.message).toBe('Step "broken" failed: broken on purpose');
      expect(result.nodes.broken?.error?.name).toBe("StepFailedError");
      expect(result.nodes.flaky?.attemptLog.map((a) => a.outcome)).toEqual(["failed", "success"]);
      expect(await result.dataMap.get("checked")?.toRows()).toEqual([{ k2: 0 }, { k2: 2 }, { k2: 4 }]);
      expect(result.nodes.rows?.rowCounts).toEqual({ rows: 3 });
    } finally {
      await orchestrator.close();
    }
  });

  it("fails an attempt past its timeout with outcome timeout", async () => {
    const orchestrator = new Orchestrator({
      name: "contract", logger: quietLogger(), cache: false, checkpoint: false, historyDb: false, ...(executor ? { executor } : {}),
      steps: [{ name: "slow", outputs: ["slow"], timeoutMs: 20, run: (_i: unknown, ctx: { signal: AbortSignal }) => new Promise((_, reject) => {
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error));
      }) } as never],
    });
    try {
      const result = await orchestrator.execute();
      expect(result.nodes.slow?.attemptLog.map((a) => a.outcome)).toEqual(["timeout"]);
      expect(result.nodes.slow?.error?.name).toBe("StepTimeoutError");
    } finally {
      await orchestrator.close();
    }
  });
});

describe("the tasks an executor gets", () => {
  it("are plain data: the step by index and name, params, timeout, inputs as references, the key", async () => {
    let seen: JsonRoundTripExecutor | undefined;
    const orchestrator = new Orchestrator({
      name: "contract", steps: steps().slice(0, 2), logger: quietLogger(), cache: false, checkpoint: false, historyDb: false, timeoutMs: 5_000,
      executor: (local) => (seen = new JsonRoundTripExecutor(local)),
    });
    try {
      await orchestrator.execute();
      const sql = seen?.tasks.find((t) => t.step.name === "sql");
      expect(sql).toMatchObject({
        pipelineName: "contract", runAttempt: 1, attempt: 1, step: { index: 1, name: "sql" }, params: {}, timeoutMs: 5_000,
        inputs: { r: { kind: "memory", dataset: "rows" } },
      });
      expect(seen?.tasks.find((t) => t.step.name === "rows")?.params).toEqual({ n: 3 });
    } finally {
      await orchestrator.close();
    }
  });
});
