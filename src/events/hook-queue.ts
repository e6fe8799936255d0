import { q } from "../util/quote.js";
import type { EventPayloads, EventType } from "./event-types.js";
import type { EventPriority } from "./event-priority.js";

/** A hook as the queue calls it (the public `Hook` type, with its payload type erased). */
export type QueuedHook = (payload: never, context: { eventType: never; signal: AbortSignal }) => void | Promise<void>;

/** One event waiting for (or being delivered to) one hook. */
export interface Delivery {
  readonly type: EventType;
  readonly payload: EventPayloads[EventType];
  readonly runId: string;
}

/** When a hook is suspended for the rest of a run. */
export interface BreakerLimits {
  /** Timeouts in one run that suspend the hook. */
  readonly timeouts: number;
  /** Failures in a row (throws, rejections) in one run that suspend the hook. */
  readonly failures: number;
}

/** What a queue tells its bus: a delivery was added or settled, a hook failed or was suspended. */
export interface QueueHost {
  track(runId: string, delta: 1 | -1): void;
  failed(queue: HookQueue, delivery: Delivery, error: unknown): void;
  suspended(queue: HookQueue, delivery: Delivery, reason: string, error: unknown): void;
}

interface RunState {
  timeouts: number;
  failures: number;
  suspended: boolean;
}

/** The delivery in flight, with the means to stop waiting for it when the run's drain time is over. */
interface InFlight {
  readonly delivery: Delivery;
  readonly cancel: () => void;
}

/**
 * One hook's own queue: it consumes its events one at a time, in emission order, independently of every
 * other hook, so a slow hook delays only itself. Within one run it is a circuit breaker: after
 * {@link BreakerLimits} it is suspended, and the run's later events are not delivered to it.
 */
export class HookQueue {
  private readonly pending: Delivery[] = [];
  private readonly runs = new Map<string, RunState>();
  private inFlight: InFlight | undefined;
  private pumping = false;

  constructor(
    readonly name: string,
    readonly hook: QueuedHook,
    readonly priority: EventPriority,
    readonly sequence: number,
    readonly timeoutMs: number,
    private readonly limits: BreakerLimits,
    private readonly host: QueueHost,
    private readonly isEnabled: () => boolean,
  ) {}

  /** Queues an event for this hook; an event of a run that suspended the hook is dropped. */
  push(delivery: Delivery): void {
    if (this.runs.get(delivery.runId)?.suspended === true) return;
    this.pending.push(delivery);
    this.host.track(delivery.runId, 1);
    if (!this.pumping) void this.pump();
  }

  /** Whether this hook is suspended for `runId`. */
  isSuspended(runId: string): boolean {
    return this.runs.get(runId)?.suspended === true;
  }

  /**
   * Gives up on `runId`'s events: those queued are removed and the one in flight is abandoned (its signal
   * aborts). Returns the events that were not delivered.
   */
  abandon(runId: string): Delivery[] {
    const dropped: Delivery[] = [];
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const delivery = this.pending[i] as Delivery;
      if (delivery.runId !== runId) continue;
      this.pending.splice(i, 1);
      dropped.unshift(delivery);
      this.host.track(runId, -1);
    }
    if (this.inFlight?.delivery.runId === runId) {
      dropped.unshift(this.inFlight.delivery);
      this.inFlight.cancel();
    }
    return dropped;
  }

  /** Forgets `runId`'s breaker state once the run is over. */
  release(runId: string): void {
    this.runs.delete(runId);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (let delivery = this.pending.shift(); delivery !== undefined; delivery = this.pending.shift()) {
        try {
          await this.deliver(delivery);
        } finally {
          this.host.track(delivery.runId, -1);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private stateOf(runId: string): RunState {
    let state = this.runs.get(runId);
    if (state === undefined) {
      state = { timeouts: 0, failures: 0, suspended: false };
      this.runs.set(runId, state);
    }
    return state;
  }

  private async deliver(delivery: Delivery): Promise<void> {
    if (!this.isEnabled() || this.isSuspended(delivery.runId)) return;
    const { type, payload } = delivery;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let cancelled = false;
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        const error = new Error(`hook ${q(this.name)} timed out after ${this.timeoutMs} ms on ${type}`);
        controller.abort(error);
        reject(error);
      }, this.timeoutMs);
      this.inFlight = {
        delivery,
        cancel: () => {
          cancelled = true;
          const error = new Error(`hook ${q(this.name)} was abandoned on ${type}: the run's drain time is over`);
          controller.abort(error);
          reject(error);
        },
      };
    });
    stop.catch(() => {});
    try {
      await Promise.race([
        Promise.resolve().then(() => this.hook(payload as never, { eventType: type as never, signal: controller.signal })),
        stop,
      ]);
      this.stateOf(delivery.runId).failures = 0;
    } catch (error) {
      if (!cancelled) this.failure(delivery, error, timedOut);
    } finally {
      clearTimeout(timer);
      this.inFlight = undefined;
    }
  }

  private failure(delivery: Delivery, error: unknown, timedOut: boolean): void {
    const state = this.stateOf(delivery.runId);
    if (timedOut) state.timeouts++;
    else state.failures++;
    const reason = state.timeouts >= this.limits.timeouts
      ? `${state.timeouts} ${state.timeouts === 1 ? "timeout" : "timeouts"}`
      : state.failures >= this.limits.failures ? `${state.failures} failures in a row` : undefined;
    if (reason === undefined) {
      this.host.failed(this, delivery, error);
      return;
    }
    state.suspended = true;
    // The run's later events are not for this hook any more.
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if ((this.pending[i] as Delivery).runId !== delivery.runId) continue;
      this.pending.splice(i, 1);
      this.host.track(delivery.runId, -1);
    }
    this.host.suspended(this, delivery, reason, error);
  }
}

