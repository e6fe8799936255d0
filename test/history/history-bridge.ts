// Drives a HistoryRecorder from an EventBus, as the orchestrator will from its RunEvents: the recorder is
// made on pipeline_start (which names the run), begun, and fed every event; `finish` ends it with the result.
import { EventBus, EventPriority, type EventPayloads, type EventType, type RunResult } from "../../src/index.js";
import { HistoryRecorder } from "../../src/history/history-recorder.js";
import { runPolicyOf, type RunPolicy } from "../../src/history/run-policy.js";

export interface BridgeOptions {
  readonly dbPath: string;
  readonly policy?: RunPolicy;
  readonly lockTimeoutMs?: number;
  readonly pipelinePath?: string;
}

export class HistoryBridge {
  readonly bus = new EventBus();
  readonly warnings: string[] = [];
  /** Every event the recorder was given, in order. */
  readonly events: Array<{ type: EventType; payload: unknown }> = [];
  recorder: HistoryRecorder | undefined;
  begun: Promise<void> | undefined;
  readonly policy: RunPolicy;

  constructor(private readonly options: BridgeOptions) {
    this.policy = options.policy ?? runPolicyOf({});
    this.bus.registerHook("*", (payload, { eventType }) => this.onEvent(eventType, payload), EventPriority.CRITICAL, { name: "history bridge" });
  }

  private onEvent(type: EventType, payload: EventPayloads[EventType]): void {
    if (type === "pipeline_start") {
      const start = payload as EventPayloads["pipeline_start"];
      this.recorder = new HistoryRecorder({
        dbPath: this.options.dbPath, runId: start.runId, attempt: start.runAttempt, pipelineName: start.pipelineName,
        batchRunId: start.batchRunId, warn: (message) => this.warnings.push(message),
        // The delay these tests were written for (the default was 1 s): the ones that wait for the running row need it soon.
        runningRowDelayMs: 1000,
        ...(this.options.lockTimeoutMs !== undefined ? { lockTimeoutMs: this.options.lockTimeoutMs } : {}),
      });
      const recorder = this.recorder;
      // `begun`: the start is spooled, and its `running` row written (or failed), as a run a second long has.
      this.begun = recorder.begin({
        startTime: start.timestamp, policy: this.policy, ...(this.options.pipelinePath ? { pipelinePath: this.options.pipelinePath } : {}),
      }).then(() => recorder.runningRowSettled());
    }
    this.events.push({ type, payload });
    this.recorder?.record(type, payload);
  }

  /** Records the end of the run (exit code 0 for success, else 1, unless given). */
  async finish(result: RunResult, exitCode = result.status === "success" ? 0 : 1): Promise<void> {
    if (this.recorder === undefined) throw new Error("the run never started");
    await this.recorder.finish(result, { exitCode, policy: this.policy, ...(this.options.pipelinePath ? { pipelinePath: this.options.pipelinePath } : {}) });
  }
}
