import { appendFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InvalidOptionsError } from "../../errors/linea-error.js";
import { toJsonSafe } from "../../util/json-safe.js";
import type { Hook } from "../event-bus.js";
import type { EventType } from "../event-types.js";
import { makeDirectory } from "../../util/make-directory.js";

/** Options of {@link createEventLogHook}. */
export interface EventLogHookOptions {
  /** The JSON Lines file events are appended to; created with its folder if missing. */
  path: string;
}

/** One event as one line of JSON: `{"type":"node_start","pipelineName":...}` and a line feed. */
export function eventLine(type: EventType, payload: object): string {
  return `${JSON.stringify(toJsonSafe({ type, ...payload }))}\n`;
}

/**
 * A hook that appends every event it receives to a JSON Lines file: one object per line, `type` first,
 * then the payload's fields, made JSON-safe like linea's other documents (`toJsonSafe`: bigints beyond
 * 2^53 as strings, NaN as "NaN", Dates as ISO strings, undefined as null). Each event is one append of one
 * whole line, so lines of concurrent writers never interleave mid-line. Register it for `"*"` to log everything.
 *
 * @example
 * ```ts
 * bus.registerHook("*", createEventLogHook({ path: "lineage-out/events.jsonl" }));
 * ```
 * @throws InvalidOptionsError when `path` is missing.
 */
export function createEventLogHook(options: EventLogHookOptions): Hook<EventType> {
  const path = options?.path;
  if (typeof path !== "string" || path === "") {
    throw new InvalidOptionsError("path", "createEventLogHook needs `path`, the file to append events to, e.g. { path: \"lineage-out/events.jsonl\" }.");
  }
  let folderMade: Promise<unknown> | undefined;
  return async function eventLogHook(payload, { eventType }) {
    const line = eventLine(eventType, payload);
    folderMade ??= makeDirectory(dirname(path));
    await folderMade;
    await appendFile(path, line);
  };
}
