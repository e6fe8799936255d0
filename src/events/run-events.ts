import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import type { EventPayloads, EventType, RunEventBase } from "./event-types.js";

/**
 * A subscriber to a run's events: the tracker, the history recorder, the bridge to the user's EventBus.
 * A step's event comes with the step's index in the run's specs (`step`), for subscribers that keep
 * something per step.
 */
export type RunEventListener = <T extends EventType>(type: T, payload: EventPayloads[T], step?: number) => void;

/** The fields an emitter adds to every event itself. */
type Stamped = keyof RunEventBase;

interface Subscriber {
  readonly name: string;
  readonly listener: RunEventListener;
}

/**
 * One run's event stream. The executor emits each event once; subscribers observe, in the order they
 * subscribed. A subscriber that throws is reported as a warning and the others still get the event:
 * observing never changes the run. The list of subscribers is replaced (never changed in place) when one
 * comes or goes, so an event goes to those subscribed when it was emitted, without a copy per event.
 */
export class RunEvents {
  private subscribers: readonly Subscriber[] = [];

  constructor(
    /** The run's fields every event carries, besides its time. */
    readonly base: Omit<RunEventBase, "timestamp">,
    private readonly warn: (message: string) => void,
  ) {}

  /** Adds a subscriber, isolated from the others. Returns its unsubscribe function. */
  subscribe(name: string, listener: RunEventListener): () => void {
    const subscriber: Subscriber = { name, listener };
    this.subscribers = [...this.subscribers, subscriber];
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== subscriber);
    };
  }

  /**
   * Emits an event, stamping the run's fields and the time (`timestamp`, or now); nothing is built when
   * nobody listens. `step` is the index of the event's step.
   */
  emit<T extends EventType>(type: T, fields: Omit<EventPayloads[T], Stamped>, step?: number, timestamp?: string): void {
    const subscribers = this.subscribers;
    if (subscribers.length === 0) return;
    // Object.assign, not spread: V8 (Node 20) takes a slow path for spreads of this shape, ~4 µs an event.
    // Frozen: every subscriber gets the same object, and none may change what the others see.
    this.deliver(subscribers, type, Object.freeze(Object.assign({ timestamp: timestamp ?? nowIso() }, this.base, fields)) as EventPayloads[T], step);
  }

  /** True when someone listens: a caller that builds a whole payload itself ({@link emitWhole}) may skip it otherwise. */
  get listened(): boolean {
    return this.subscribers.length > 0;
  }

  /**
   * Emits a payload the caller built whole, stamped fields included, in {@link emit}'s key order (timestamp,
   * then the run's fields, then the event's): one object for the hottest events instead of two and a copy.
   */
  emitWhole<T extends EventType>(type: T, payload: EventPayloads[T], step?: number): void {
    const subscribers = this.subscribers;
    if (subscribers.length > 0) this.deliver(subscribers, type, Object.freeze(payload) as EventPayloads[T], step);
  }

  private deliver<T extends EventType>(subscribers: readonly Subscriber[], type: T, payload: EventPayloads[T], step: number | undefined): void {
    for (let i = 0; i < subscribers.length; i++) {
      const subscriber = subscribers[i] as Subscriber;
      try {
        subscriber.listener(type, payload, step);
      } catch (error) {
        this.warn(`${subscriber.name} failed on ${type}: ${errorMessage(error)}`);
      }
    }
  }
}
