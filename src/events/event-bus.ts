import { mitt, type Emitter, type Handler } from "./mitt.js";
import { InvalidOptionsError } from "../errors/linea-error.js";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import { EVENT_TYPES, type EventPayloads, type EventType } from "./event-types.js";
import { EventPriority } from "./event-priority.js";
import { HookQueue, type Delivery, type QueueHost } from "./hook-queue.js";

/** A hook: receives the payload; may be async. Its `signal` aborts when the hook's timeout passes. */
export type Hook<T extends EventType = EventType> = (
  payload: EventPayloads[T],
  context: HookContext<T>,
) => void | Promise<void>;

export interface HookContext<T extends EventType = EventType> {
  readonly eventType: T;
  readonly signal: AbortSignal;
}

export interface HookOptions {
  /** Used to enable, disable or unregister the hook, and in warnings. Defaults to the function's name. */
  name?: string;
  /** This hook's limit per event, overriding the bus's `hookTimeoutMs`. */
  timeoutMs?: number;
}

export interface EventBusOptions {
  /** How long an async hook may take per event before it is abandoned and reported. @default 10000 */
  hookTimeoutMs?: number;
  /**
   * Timeouts of one hook in one run after which it is suspended for the rest of that run. Each timeout
   * costs a whole `hookTimeoutMs`, so by default the first one suspends the hook. @default 1
   */
  maxHookTimeouts?: number;
  /** Failures in a row (throws, rejections) of one hook in one run after which it is suspended. @default 3 */
  maxHookFailures?: number;
  /**
   * How long `execute()` waits, once its steps are done, for hooks still delivering its events; what is
   * left then is abandoned and reported as not delivered. @default hookTimeoutMs
   */
  drainTimeoutMs?: number;
  /** Where warnings go when no run listens (a failing hook of an event emitted by hand). @default console.warn */
  onWarning?: (message: string) => void;
}

/** A registered hook; `unregister()` removes it. */
export interface HookRegistration {
  readonly name: string;
  readonly eventTypes: readonly EventType[];
  unregister(): void;
}

interface Entry {
  readonly queue: HookQueue;
  readonly handlers: Map<EventType, Handler<unknown>>;
}

const PRIORITIES = new Set<number>(Object.values(EventPriority));

function positive(options: EventBusOptions, field: "hookTimeoutMs" | "drainTimeoutMs", fallback: number): number {
  const value = options[field] ?? fallback;
  if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) {
    throw new InvalidOptionsError(field, `Expected \`${field}\` to be a positive number of milliseconds, got \`${String(value)}\``);
  }
  return value;
}

function whole(options: EventBusOptions, field: "maxHookTimeouts" | "maxHookFailures", fallback: number): number {
  const value = options[field] ?? fallback;
  if (!(typeof value === "number" && Number.isInteger(value) && value >= 1)) {
    throw new InvalidOptionsError(field, `Expected \`${field}\` to be a whole number from 1 and up, got \`${String(value)}\``);
  }
  return value;
}

/** "node_start, node_complete ×2": the event types of undelivered events, in first-seen order. */
function tally(deliveries: readonly Delivery[]): string {
  const counts = new Map<string, number>();
  for (const d of deliveries) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => (n === 1 ? type : `${type} ×${n}`)).join(", ");
}

/**
 * Routes a run's lifecycle events to hooks. Each hook has its own queue: it gets its events in the order
 * they were emitted, one at a time, independently of the other hooks, so a slow hook delays no other
 * (for one event, hooks start by priority). Delivery is asynchronous: a hook never holds up a step.
 *
 * Each hook is isolated: one that throws or outlives its timeout is reported as a warning and a
 * `hook_error` event. A hook that times out (`maxHookTimeouts`) or fails repeatedly (`maxHookFailures`)
 * is suspended for the rest of the run, reported once. At its end `execute()` waits for the hooks at most
 * `drainTimeoutMs` ({@link drain}), then reports what was not delivered. The run's outcome never changes.
 * Built on mitt: each event type's handler list is kept sorted by priority.
 *
 * @example
 * ```ts
 * const bus = new EventBus();
 * bus.registerHook("node_error", createSlackHook({ webhookUrl }), EventPriority.CRITICAL);
 * bus.registerHook(["pipeline_complete", "pipeline_error"], createSummaryHook());
 * ```
 */
export class EventBus {
  private readonly emitter: Emitter<Record<EventType, unknown>> = mitt();
  private readonly entries = new Map<string, Entry>();
  private readonly disabled = new Set<string>();
  private readonly warningListeners = new Set<(runId: string | undefined, message: string) => void>();
  private readonly outstanding = new Map<string, number>();
  private readonly idleWaiters = new Map<string | undefined, Array<() => void>>();
  private total = 0;
  private readonly hookTimeoutMs: number;
  private readonly drainTimeoutMs: number;
  private readonly limits: { timeouts: number; failures: number };
  private readonly onWarning: (message: string) => void;
  private readonly host: QueueHost;
  private sequence = 0;

  constructor(options: EventBusOptions = {}) {
    this.hookTimeoutMs = positive(options, "hookTimeoutMs", 10_000);
    this.drainTimeoutMs = positive(options, "drainTimeoutMs", this.hookTimeoutMs);
    this.limits = { timeouts: whole(options, "maxHookTimeouts", 1), failures: whole(options, "maxHookFailures", 3) };
    this.onWarning = options.onWarning ?? ((message) => console.warn(`linea: warning: ${message}`));
    this.host = {
      track: (runId, delta) => this.track(runId, delta),
      failed: (queue, delivery, error) => this.report(queue, delivery, `hook ${q(queue.name)} failed on ${delivery.type}: ${errorMessage(error)}`, errorMessage(error), false),
      suspended: (queue, delivery, reason, error) => this.report(queue, delivery,
        `hook ${q(queue.name)} failed on ${delivery.type}: ${errorMessage(error).replace(/\.$/, "")}. It is suspended for the rest of run ${delivery.runId} ` +
        `after ${reason}: its later events of this run are not delivered (fix the hook, or raise the EventBus's ${reason.includes("timeout") ? "maxHookTimeouts" : "maxHookFailures"})`,
        errorMessage(error), true),
    };
  }

  /**
   * Registers `hook` for one event type, several, or `"*"` (all of them).
   * @param priority CRITICAL hooks start first. @default EventPriority.MEDIUM
   */
  registerHook<T extends EventType>(
    eventType: T | readonly T[] | "*",
    hook: Hook<T>,
    priority: EventPriority = EventPriority.MEDIUM,
    options: HookOptions = {},
  ): HookRegistration {
    const types = (eventType === "*" ? EVENT_TYPES : Array.isArray(eventType) ? eventType : [eventType]) as readonly EventType[];
    for (const type of types) {
      if (!(EVENT_TYPES as readonly string[]).includes(type)) {
        throw new InvalidOptionsError("eventType", `Unknown event type ${q(String(type))}. Use one of ${EVENT_TYPES.join(", ")}, or "*".`);
      }
    }
    if (!PRIORITIES.has(priority)) {
      throw new InvalidOptionsError("priority", `Expected \`priority\` to be one of EventPriority's values, got \`${String(priority)}\``);
    }
    if (options.timeoutMs !== undefined && !(typeof options.timeoutMs === "number" && options.timeoutMs > 0)) {
      throw new InvalidOptionsError("timeoutMs", `Expected \`timeoutMs\` to be a positive number of milliseconds, got \`${String(options.timeoutMs)}\``);
    }
    const name = this.uniqueName(options.name ?? (hook.name || "hook"));
    const queue = new HookQueue(name, hook as never, priority, ++this.sequence, options.timeoutMs ?? this.hookTimeoutMs,
      this.limits, this.host, () => !this.disabled.has(name) && this.entries.has(name));
    const entry: Entry = { queue, handlers: new Map() };
    for (const type of types) {
      const handler: Handler<unknown> = (payload) => {
        const runId = (payload as { runId?: unknown }).runId;
        queue.push({ type, payload: payload as EventPayloads[EventType], runId: typeof runId === "string" ? runId : "" });
      };
      entry.handlers.set(type, handler);
      this.insertSorted(type, handler, queue);
    }
    this.entries.set(name, entry);
    return { name, eventTypes: types, unregister: () => this.unregisterHook(name) };
  }

  /** Removes a hook by name. Returns false when there is none of that name. */
  unregisterHook(name: string): boolean {
    const entry = this.entries.get(name);
    if (entry === undefined) return false;
    for (const [type, handler] of entry.handlers) this.emitter.off(type, handler);
    this.entries.delete(name);
    this.disabled.delete(name);
    return true;
  }

  /** Stops a hook from receiving events until {@link enableHook}; it keeps its place. */
  disableHook(name: string): void {
    this.requireHook(name);
    this.disabled.add(name);
  }

  enableHook(name: string): void {
    this.requireHook(name);
    this.disabled.delete(name);
  }

  /** The registered hooks' names, in registration order. */
  hookNames(): string[] {
    return [...this.entries.keys()];
  }

  /** Emits an event to the hooks. Returns at once; each hook gets it in order, in the background. */
  emit<T extends EventType>(type: T, payload: EventPayloads[T]): void {
    this.emitter.emit(type, payload);
  }

  /**
   * Resolves once every event emitted so far has been delivered to every hook (or its hook timed out or
   * was suspended), including the `hook_error` events those deliveries raised. It does not give up: a run
   * uses {@link drain}, which does.
   */
  flush(): Promise<void> {
    return this.whenIdle(undefined);
  }

  /**
   * Waits for the hooks still delivering `runId`'s events, at most `timeoutMs` (the bus's
   * `drainTimeoutMs`). Then abandons what is left and returns a warning saying what was not delivered, or
   * undefined when everything was. Forgets the run's suspended hooks.
   */
  async drain(runId: string, timeoutMs: number = this.drainTimeoutMs): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const late = await Promise.race([this.whenIdle(runId).then(() => false), expired]);
    clearTimeout(timer);
    const missed: string[] = [];
    let count = 0;
    for (const { queue } of this.entries.values()) {
      const dropped = late ? queue.abandon(runId) : [];
      queue.release(runId);
      if (dropped.length === 0) continue;
      count += dropped.length;
      missed.push(`hook ${q(queue.name)}: ${tally(dropped)}`);
    }
    if (count === 0) return undefined;
    return `${count} event(s) of run ${runId} not delivered: the hooks did not finish within the drain time of ${timeoutMs} ms ` +
      `(${missed.join("; ")}). Make the hooks faster, or raise the EventBus's drainTimeoutMs`;
  }

  /** @internal Receives the warnings of hooks while a run listens; returns the function that stops it. */
  onHookWarning(listener: (runId: string | undefined, message: string) => void): () => void {
    this.warningListeners.add(listener);
    return () => this.warningListeners.delete(listener);
  }

  private track(runId: string, delta: 1 | -1): void {
    const left = (this.outstanding.get(runId) ?? 0) + delta;
    this.total += delta;
    if (left > 0) this.outstanding.set(runId, left);
    else {
      this.outstanding.delete(runId);
      this.wake(runId);
    }
    if (this.total === 0) this.wake(undefined);
  }

  private wake(key: string | undefined): void {
    const waiters = this.idleWaiters.get(key);
    if (waiters === undefined) return;
    this.idleWaiters.delete(key);
    for (const wake of waiters) wake();
  }

  /** Resolves when nothing of `runId` (or, for undefined, of any run) is queued or in flight. */
  private whenIdle(runId: string | undefined): Promise<void> {
    const busy = runId === undefined ? this.total > 0 : this.outstanding.has(runId);
    if (!busy) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.idleWaiters.get(runId) ?? [];
      list.push(resolve);
      this.idleWaiters.set(runId, list);
    });
  }

  private uniqueName(base: string): string {
    if (!this.entries.has(base)) return base;
    let n = 2;
    while (this.entries.has(`${base}#${n}`)) n++;
    return `${base}#${n}`;
  }

  private requireHook(name: string): void {
    if (!this.entries.has(name)) {
      throw new InvalidOptionsError("name", `No hook named ${q(name)}. Registered hooks: ${this.hookNames().map(q).join(", ") || "none"}.`);
    }
  }

  /** Keeps mitt's handler list of `type` sorted by (priority, registration order). */
  private insertSorted(type: EventType, handler: Handler<unknown>, queue: HookQueue): void {
    const list = (this.emitter.all.get(type) ?? []) as Handler<unknown>[];
    const rankOf = new Map<Handler<unknown>, HookQueue>();
    for (const e of this.entries.values()) {
      const h = e.handlers.get(type);
      if (h) rankOf.set(h, e.queue);
    }
    const at = list.findIndex((h) => {
      const other = rankOf.get(h);
      return other !== undefined && (other.priority > queue.priority || (other.priority === queue.priority && other.sequence > queue.sequence));
    });
    if (at < 0) list.push(handler);
    else list.splice(at, 0, handler);
    this.emitter.all.set(type, list as never);
  }

  private report(queue: HookQueue, delivery: Delivery, message: string, cause: string, suspended: boolean): void {
    const { type, payload, runId } = delivery;
    if (this.warningListeners.size === 0) this.onWarning(message);
    for (const listener of this.warningListeners) listener(runId, message);
    // A failing hook_error hook is reported, never re-announced (that could loop).
    if (type === "hook_error") return;
    const p = payload as EventPayloads["pipeline_start"];
    this.emit("hook_error", {
      pipelineName: p.pipelineName, runId: p.runId, batchRunId: p.batchRunId, timestamp: new Date().toISOString(),
      hookName: queue.name, eventType: type, errorMessage: cause, suspended,
    });
  }
}
