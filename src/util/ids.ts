import { randomBytes } from "node:crypto";

/** Run ids, checkpoint ids and the like: safe as file and table names, sortable by creation time. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A new run id: `run-20261121T221600Z-3f9a1c2b`, sortable by start time, unique per process and host. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `run-${stamp}-${randomBytes(4).toString("hex")}`;
}

/** True when `id` may be used as a file or table name: no separators, no leading dot. */
export function isSafeId(id: string): boolean {
  return id.length <= 128 && ID_PATTERN.test(id);
}
