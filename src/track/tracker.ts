import type { NodeStatus, SkipKind, StatusReason } from "../execute/node-result.js";
import type { EventPayloads, EventType } from "../events/event-types.js";
import type { RunEvents } from "../events/run-events.js";

/** The record of one node of a run. */
export interface StepExecution {
  readonly stepName: string;
  readonly layer: string | undefined;
  status: NodeStatus | "running";
  startTime: string | undefined;
  endTime: string | undefined;
  durationMs: number;
  attempts: number;
  cached: boolean;
  kind?: SkipKind;
  blockedBy?: string;
  statusReason?: StatusReason;
  errorMessage?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** What the tracker knows of a step before it runs. */
export interface TrackedStep {
  readonly name: string;
  readonly layer: string | undefined;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * Records every node of a run from its events: one record per node, keyed by step, so nodes running at
 * the same time never overwrite each other.
 */
export class Tracker {
  private readonly byStep = new Map<string, StepExecution>();
  private readonly stepsByName: ReadonlyMap<string, TrackedStep>;

  constructor(private readonly steps: readonly TrackedStep[]) {
    this.stepsByName = new Map(steps.map((s) => [s.name, s]));
  }

  /** Every node's record, in plan order. */
  get stepExecutions(): StepExecution[] {
    return this.steps.flatMap((step) => this.byStep.get(step.name) ?? []);
  }

  /** Subscribes to a run's events; returns the unsubscribe function. */
  observe(events: RunEvents): () => void {
    return events.subscribe("tracker", (type, payload) => this.record(type, payload));
  }

  private record<T extends EventType>(type: T, payload: EventPayloads[T]): void {
    if (!("stepName" in payload)) return;
    const p = payload as EventPayloads["node_start"];
    const execution = this.byStep.get(p.stepName) ?? this.create(p.stepName);
    switch (type) {
      case "node_start":
        execution.status = "running";
        execution.startTime = p.timestamp;
        break;
      case "node_complete":
      case "node_cached":
      case "node_error": {
        const done = payload as EventPayloads["node_complete" | "node_cached" | "node_error"];
        execution.status = done.status;
        execution.startTime ??= done.timestamp;
        execution.endTime = done.timestamp;
        execution.durationMs = done.durationMs;
        execution.attempts = "attempts" in done ? done.attempts : 0;
        execution.cached = done.status === "cached";
        if (done.status === "failed") {
          execution.errorMessage = done.errorMessage;
          if (done.statusReason) execution.statusReason = done.statusReason;
        }
        break;
      }
      case "node_skipped": {
        const skip = payload as EventPayloads["node_skipped"];
        execution.status = "skipped";
        execution.kind = skip.kind;
        execution.statusReason = skip.statusReason;
        if (skip.blockedBy !== undefined) execution.blockedBy = skip.blockedBy;
        break;
      }
      default:
        break;
    }
  }

  private create(stepName: string): StepExecution {
    const step = this.stepsByName.get(stepName);
    const execution: StepExecution = {
      stepName, layer: step?.layer, status: "running", startTime: undefined, endTime: undefined,
      durationMs: 0, attempts: 0, cached: false, inputs: step?.inputs ?? [], outputs: step?.outputs ?? [],
    };
    this.byStep.set(stepName, execution);
    return execution;
  }
}
