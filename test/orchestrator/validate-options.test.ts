import { describe, expect, it } from "vitest";
import { InvalidOptionsError, Orchestrator, type OrchestratorOptions, type Step } from "../../src/index.js";

const steps: Step[] = [{ name: "one", outputs: ["one"], run: () => [{ x: 1 }] }];
const make = (options: Record<string, unknown>) => () => new Orchestrator({ name: "p", steps, ...options } as unknown as OrchestratorOptions);

describe("Orchestrator options are checked like steps", () => {
  it("reports an unknown option with the closest known name", () => {
    expect(make({ maxWorker: 2 })).toThrow(new InvalidOptionsError("maxWorker", 'Invalid options of pipeline "p": unknown option "maxWorker" (did you mean "maxWorkers"?).'));
    expect(make({ cacheDirectory: "x", zzz: 1 })).toThrow(
      'Invalid options of pipeline "p": unknown option "cacheDirectory" (did you mean "cacheDir"?); unknown option "zzz".',
    );
  });

  it("reports options of the wrong type, all at once", () => {
    let error: unknown;
    try {
      make({ cache: "yes", maxWorkers: 0, historyDb: true, redact: "email", continueOnError: 1 })();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe("maxWorkers");
    expect((error as Error).message).toBe(
      'Invalid options of pipeline "p": `maxWorkers` must be a whole number from 1 and up, got 0; `continueOnError` must be true or false, got 1; ' +
      '`cache` must be true or false, got "yes"; `historyDb` must be a path (or URL), a HistoryStore, or false for no history, got true; ' +
      '`redact` must be an array of column names, got "email".',
    );
  });

  it("checks the shapes of name, steps, objects and retry", () => {
    expect(() => new Orchestrator({ steps } as unknown as OrchestratorOptions)).toThrow("Invalid options: `name` must be a non-empty string, got undefined.");
    expect(make({ steps: "a" })).toThrow('Invalid options of pipeline "p": `steps` must be an array of steps, got "a".');
    expect(make({ eventBus: {}, logger: console.log })).toThrow(
      'Invalid options of pipeline "p": `eventBus` must be an EventBus, got an object; `logger` must be an object with a warn(message) method, got a function.',
    );
    expect(make({ retry: { maxRetries: -1 }, timeoutMs: "5s" })).toThrow(
      'Invalid options of pipeline "p": `retry.maxRetries` must be a whole number from 0 and up, got -1; `timeoutMs` must be a positive number of milliseconds, got "5s".',
    );
    expect(() => new Orchestrator(null as unknown as OrchestratorOptions)).toThrow("Expected an options object: new Orchestrator({ name, steps })");
  });

  it("accepts every documented option", () => {
    expect(make({
      enableTracker: false, maxWorkers: 2, continueOnError: true, maxRetries: 1, retry: { delayMs: 1 }, timeoutMs: 1000, cache: false,
      cacheDir: "c", cacheMaxBytes: 1024, checkpoint: false, checkpointDir: "k", historyDb: false, sampleRows: 0, redact: ["email"],
      baseDir: ".", sources: {}, duckdb: {}, logger: { warn: () => {} },
    })).not.toThrow();
  });
});
