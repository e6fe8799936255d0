import type { EventPayloads, EventType, NodeEventBase, NodeEventStatus, StatusCounts } from "../event-types.js";
import { assertNever } from "../../util/assert-never.js";

/** What a run's node events said about one step. `running`: it started and no terminal event came. */
export interface TalliedStep {
  readonly stepName: string;
  readonly layer: string | undefined;
  status: NodeEventStatus | "running";
  durationMs: number;
  /** Rows over the step's outputs, when it produced them (or they came from the cache). */
  rows: number | undefined;
  attempts: number;
  retries: number;
  cacheHit: boolean;
  /** Why it failed or was skipped. */
  note: string | undefined;
}

/** A finished run as its events told it: the pipeline event that ended it, and its steps in plan order. */
export interface RunRecord {
  readonly pipelineName: string;
  readonly runId: string;
  readonly batchRunId: string;
  readonly status: "success" | "failed";
  readonly durationMs: number;
  readonly counts: StatusCounts;
  readonly errorMessage: string | undefined;
  readonly finishedAt: string;
  readonly steps: readonly TalliedStep[];
}

type NodeEventType = "node_start" | "node_retry" | "node_complete" | "node_cached" | "node_error" | "node_skipped";

/**
 * Collects node events per run id (so that runs sharing a bus never mix) until the run's
 * pipeline_complete or pipeline_error, which hands back the run's {@link RunRecord} and forgets it.
 * Used by the summary and metrics hooks; it sees only the events its hook is registered for.
 */
export class StepTally {
  private readonly runs = new Map<string, Map<string, TalliedStep>>();
  /** Each run's steps in plan order, from its pipeline_start. */
  private readonly order = new Map<string, readonly string[]>();

  /** Records one event; returns the finished run on a pipeline end event, else undefined. */
  observe<T extends EventType>(type: T, payload: EventPayloads[T]): RunRecord | undefined {
    const event = payload as EventPayloads[EventType];
    const kind: EventType = type;
    switch (kind) {
      case "pipeline_start":
        this.runs.set(event.runId, new Map());
        this.order.set(event.runId, (event as EventPayloads["pipeline_start"]).steps);
        return undefined;
      case "pipeline_complete":
      case "pipeline_error":
        return this.finish(event as EventPayloads["pipeline_complete" | "pipeline_error"]);
      case "node_start":
      case "node_retry":
      case "node_complete":
      case "node_cached":
      case "node_error":
      case "node_skipped":
        this.node(kind, event as NodeEventBase);
        return undefined;
      case "hook_error":
        return undefined;
      default:
        return assertNever(kind, "event type");
    }
  }

  private step(event: NodeEventBase): TalliedStep {
    let steps = this.runs.get(event.runId);
    if (steps === undefined) this.runs.set(event.runId, (steps = new Map()));
    let record = steps.get(event.stepName);
    if (record === undefined) {
      record = { stepName: event.stepName, layer: event.layer, status: "running", durationMs: 0, rows: undefined, attempts: 0, retries: 0, cacheHit: false, note: undefined };
      steps.set(event.stepName, record);
    }
    return record;
  }

  private node(type: NodeEventType, event: NodeEventBase): void {
    const record = this.step(event);
    switch (type) {
      case "node_start":
      case "node_retry":
        return;
      case "node_complete": {
        const e = event as EventPayloads["node_complete"];
        Object.assign(record, { status: e.status, durationMs: e.durationMs, rows: e.rowCount, attempts: e.attempts, retries: e.attempts - 1 });
        return;
      }
      case "node_cached": {
        const e = event as EventPayloads["node_cached"];
        Object.assign(record, { status: e.status, durationMs: e.durationMs, rows: e.rowCount, cacheHit: true });
        return;
      }
      case "node_error": {
        const e = event as EventPayloads["node_error"];
        Object.assign(record, { status: e.status, durationMs: e.durationMs, attempts: e.attempts, retries: e.retryCount, note: e.errorMessage });
        return;
      }
      case "node_skipped": {
        const e = event as EventPayloads["node_skipped"];
        record.status = e.status;
        record.note = e.kind === "blocked" ? `blocked by ${e.blockedBy}` : `aborted (${e.statusReason})`;
        return;
      }
      default:
        assertNever(type, "node event type");
    }
  }

  private finish(event: EventPayloads["pipeline_complete" | "pipeline_error"]): RunRecord {
    const order = this.order.get(event.runId) ?? [];
    const rank = (name: string): number => (order.includes(name) ? order.indexOf(name) : order.length);
    const steps = [...(this.runs.get(event.runId)?.values() ?? [])].sort((a, b) => rank(a.stepName) - rank(b.stepName));
    this.runs.delete(event.runId);
    this.order.delete(event.runId);
    return {
      pipelineName: event.pipelineName, runId: event.runId, batchRunId: event.batchRunId, status: event.status,
      durationMs: event.durationMs, counts: event.counts, finishedAt: event.timestamp, steps,
      errorMessage: "errorMessage" in event ? event.errorMessage : undefined,
    };
  }
}
