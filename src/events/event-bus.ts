import { mitt, type Emitter, type Handler } from "./mitt.js";
import { InvalidOptionsError } from "../errors/linea-error.js";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";
import { EVENT_TYPES, type EventPayloads, type EventType } from "./event-types.js";
import { EventPriority } from "./event-priority.js";

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
  readonly name: string;
  readonly hook: Hook<never>;
  readonly priority: EventPriority;
  readonly sequence: number;
  readonly timeoutMs: number;
  readonly handlers: Map<EventType, Handler<unknown>>;
}

const PRIORITIES = new Set<number>(Object.values(EventPriority));

/**
 * Routes a run's lifecycle events to hooks. Hooks of one event run one after another by priority, and
 * events are delivered in the order they were emitted; delivery is asynchronous, so a slow hook never
 * holds up a step (`execute()` waits for delivery to finish before it returns, see {@link flush}).
 *
 * Each hook is isolated: one that throws or outlives its timeout is reported as a warning and a
 * `hook_error` event, and the hooks after it still run. Built on mitt: each event type's handler list is
 * kept sorted by priority, and mitt dispatches from a copy of it.
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
  private readonly hookTimeoutMs: number;
  private readonly onWarning: (message: string) => void;
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(options: EventBusOptions = {}) {
    const timeout = options.hookTimeoutMs ?? 10_000;
    if (!(typeof timeout === "number" && timeout > 0)) {
      throw new InvalidOptionsError("hookTimeoutMs", `Expected \`hookTimeoutMs\` to be a positive number of milliseconds, got \`${String(timeout)}\``);
    }
    this.hookTimeoutMs = timeout;
    this.onWarning = options.onWarning ?? ((message) => console.warn(`linea: warning: ${message}`));
  }

  /**
   * Registers `hook` for one event type, several, or `"*"` (all of them).
   * @param priority CRITICAL hooks run first. @default EventPriority.MEDIUM
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
    const name = this.uniqueName(options.name ?? (hook.name || "hook"));
    const entry: Entry = {
      name, hook: hook as Hook<never>, priority, sequence: ++this.sequence,
      timeoutMs: options.timeoutMs ?? this.hookTimeoutMs, handlers: new Map(),
    };
    for (const type of types) {
      const handler: Handler<unknown> = (payload) => this.enqueue(entry, type, payload as EventPayloads[EventType]);
      entry.handlers.set(type, handler);
      this.insertSorted(type, handler, entry);
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

  /** Emits an event to the hooks. Returns at once; delivery happens in order, in the background. */
  emit<T extends EventType>(type: T, payload: EventPayloads[T]): void {
    this.emitter.emit(type, payload);
  }

  /**
   * Resolves once every event emitted so far has been delivered to every hook (or its hook timed out),
   * including the `hook_error` events those deliveries raised.
   */
  async flush(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  /** @internal Receives the warnings of hooks while a run listens; returns the function that stops it. */
  onHookWarning(listener: (runId: string | undefined, message: string) => void): () => void {
    this.warningListeners.add(listener);
    return () => this.warningListeners.delete(listener);
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
  private insertSorted(type: EventType, handler: Handler<unknown>, entry: Entry): void {
    const list = (this.emitter.all.get(type) ?? []) as Handler<unknown>[];
    const rankOf = new Map<Handler<unknown>, Entry>();
    for (const e of this.entries.values()) {
      const h = e.handlers.get(type);
      if (h) rankOf.set(h, e);
    }
    const at = list.findIndex((h) => {
      const other = rankOf.get(h);
      return other !== undefined && (other.priority > entry.priority || (other.priority === entry.priority && other.sequence > entry.sequence));
    });
    if (at < 0) list.push(handler);
    else list.splice(at, 0, handler);
    this.emitter.all.set(type, list as never);
  }

  private enqueue(entry: Entry, type: EventType, payload: EventPayloads[EventType]): void {
    this.queue = this.queue.then(() => this.deliver(entry, type, payload));
  }

  private async deliver(entry: Entry, type: EventType, payload: EventPayloads[EventType]): Promise<void> {
    if (this.disabled.has(entry.name) || !this.entries.has(entry.name)) return;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`hook ${q(entry.name)} timed out after ${entry.timeoutMs} ms on ${type}`);
        controller.abort(error);
        reject(error);
      }, entry.timeoutMs);
    });
    try {
      await Promise.race([
        Promise.resolve().then(() => entry.hook(payload as never, { eventType: type as never, signal: controller.signal })),
        timeout,
      ]);
    } catch (error) {
      this.reportHookFailure(entry, type, payload, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private reportHookFailure(entry: Entry, type: EventType, payload: EventPayloads[EventType], error: unknown): void {
    const message = `hook ${q(entry.name)} failed on ${type}: ${errorMessage(error)}`;
    const runId = (payload as { runId?: string }).runId;
    if (this.warningListeners.size === 0) this.onWarning(message);
    for (const listener of this.warningListeners) listener(runId, message);
    // A failing hook_error hook is reported, never re-announced (that could loop).
    if (type === "hook_error") return;
    const p = payload as EventPayloads["pipeline_start"];
    this.emit("hook_error", {
      pipelineName: p.pipelineName, runId: p.runId, batchRunId: p.batchRunId, timestamp: new Date().toISOString(),
      hookName: entry.name, eventType: type, errorMessage: errorMessage(error),
    });
  }
}
