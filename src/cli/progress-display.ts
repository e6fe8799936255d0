import type { Hook } from "../events/event-bus.js";
import type { EventPayloads, EventType } from "../events/event-types.js";
import { neutralizeTerminal } from "../util/terminal-text.js";
import { formatDuration } from "../util/text-table.js";
import type { CliIo } from "./cli-io.js";
import { formatCount } from "../util/format-count.js";

const CLEAR_LINE = "\r\x1b[K";

/** The fields of the node events the display reads (each event has some of them). */
interface NodeFields {
  readonly stepName?: string;
  readonly rowCount?: number;
  readonly durationMs?: number;
  readonly errorMessage?: string;
  readonly kind?: string;
  readonly blockedBy?: string;
  readonly statusReason?: string;
  readonly outputs?: Readonly<Record<string, number>>;
}
const MARK = { success: "✓", cached: "↺", failed: "✗", skipped: "-" } as const;

/**
 * The run's progress on stderr. On a terminal: one live line (done, running, failed, elapsed) redrawn ten
 * times a second, with a line of its own for each failure. Elsewhere: one plain line per finished step.
 */
export class ProgressDisplay {
  private readonly running = new Set<string>();
  private done = 0;
  private failed = 0;
  private total = 0;
  private started = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private drawnAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly io: CliIo) {}

  /** The hook to register for every event (`"*"`). */
  readonly hook: Hook<EventType> = (payload, { eventType }) => this.on(eventType, payload);

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.io.interactive) this.io.err(CLEAR_LINE);
  }

  private on(type: EventType, payload: EventPayloads[EventType]): void {
    const p = payload as NodeFields;
    switch (type) {
      case "pipeline_start":
        this.total = (payload as EventPayloads["pipeline_start"]).stepCount;
        this.started = performance.now();
        if (this.io.interactive) this.timer = setInterval(() => this.draw(), 100);
        return;
      case "node_start":
        this.running.add(p.stepName as string);
        this.redraw();
        return;
      case "node_complete":
      case "node_cached":
      case "node_error":
      case "node_skipped":
        this.finish(type, p);
        return;
      case "pipeline_complete":
      case "pipeline_error":
        this.stop();
        return;
      default:
        return;
    }
  }

  private finish(type: "node_complete" | "node_cached" | "node_error" | "node_skipped", p: NodeFields): void {
    const name = neutralizeTerminal(p.stepName as string);
    this.running.delete(p.stepName as string);
    this.done++;
    if (type === "node_error") this.failed++;
    const status = type === "node_complete" ? "success" : type === "node_cached" ? "cached" : type === "node_error" ? "failed" : "skipped";
    if (this.io.interactive && type !== "node_error") return this.redraw();
    const hasOutputs = p.outputs !== undefined && Object.keys(p.outputs).length > 0;
    const rows = hasOutputs && p.rowCount !== undefined ? `  ${formatCount(p.rowCount)} rows` : "";
    const time = p.durationMs !== undefined && type !== "node_skipped" ? `  ${formatDuration(p.durationMs)}` : "";
    const note = type === "node_error" ? `  ${p.errorMessage ?? ""}` : type === "node_skipped" ? `  ${p.kind === "blocked" ? `blocked by ${p.blockedBy}` : `aborted (${p.statusReason})`}` : type === "node_cached" ? "  cached" : "";
    const counter = `[${String(this.done).padStart(String(this.total).length)}/${this.total}]`;
    this.io.err(`${this.io.interactive ? CLEAR_LINE : ""}${counter} ${MARK[status]} ${name}${rows}${time}${neutralizeTerminal(note)}\n`);
    if (this.io.interactive) this.redraw();
  }

  /** Redraws the live line on a change, at most every 50 ms (the timer redraws the elapsed time). */
  private redraw(): void {
    if (!this.io.interactive || performance.now() - this.drawnAt < 50) return;
    this.draw();
  }

  private draw(): void {
    this.drawnAt = performance.now();
    const elapsed = formatDuration(performance.now() - this.started);
    const running = [...this.running];
    const names = running.length > 0 ? ` (${neutralizeTerminal(running.slice(0, 3).join(", "))}${running.length > 3 ? ", ..." : ""})` : "";
    this.io.err(`${CLEAR_LINE}${this.done}/${this.total} done · ${running.length} running${names} · ${this.failed} failed · ${elapsed}`);
  }
}
