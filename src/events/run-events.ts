import { mitt, type Emitter } from "./mitt.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import type { EventPayloads, EventType, RunEventBase } from "./event-types.js";

/** A subscriber to a run's events: the tracker, the history recorder, the bridge to the user's EventBus. */
export type RunEventListener = <T extends EventType>(type: T, payload: EventPayloads[T]) => void;

/** The fields an emitter adds to every event itself. */
type Stamped = keyof RunEventBase;

/**
 * One run's event stream, on mitt. The executor emits each event once; subscribers observe. A subscriber
 * that throws is reported as a warning and the others still get the event: observing never changes the run.
 */
export class RunEvents {
  private readonly emitter: Emitter<EventPayloads> = mitt<EventPayloads>();
  private subscribers = 0;

  constructor(
    private readonly base: Omit<RunEventBase, "timestamp">,
    private readonly warn: (message: string) => void,
  ) {}

  /** Adds a subscriber, isolated from the others. Returns its unsubscribe function. */
  subscribe(name: string, listener: RunEventListener): () => void {
    const handler = (type: EventType, payload: EventPayloads[EventType]): void => {
      try {
        listener(type, payload as never);
      } catch (error) {
        this.warn(`${name} failed on ${type}: ${errorMessage(error)}`);
      }
    };
    this.emitter.on("*", handler);
    this.subscribers++;
    return () => {
      this.emitter.off("*", handler);
      this.subscribers--;
    };
  }

  /** Emits an event, stamping the run's fields and the time (nothing is built when nobody listens). */
  emit<T extends EventType>(type: T, fields: Omit<EventPayloads[T], Stamped>): void {
    if (this.subscribers === 0) return;
    // Object.assign, not spread: V8 (Node 20) takes a slow path for spreads of this shape, ~4 µs an event.
    // Frozen: every subscriber gets the same object, and none may change what the others see.
    const payload = Object.freeze(Object.assign({ timestamp: nowIso() }, this.base, fields)) as EventPayloads[T];
    this.emitter.emit(type, payload);
  }
}
