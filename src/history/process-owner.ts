import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { isProcessAlive } from "./process-alive.js";

/**
 * The process that owns a run: its pid, its host, and a token of when that process started (so that a pid
 * the system gave to another process since is not taken for the owner still alive).
 */
export interface ProcessOwner {
  readonly pid: number;
  /** The host name; undefined for records of a linea that did not keep it. */
  readonly host?: string | undefined;
  /** `<boot id>:<start time in clock ticks>` on Linux; undefined where the system does not tell. */
  readonly processStart?: string | undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

let bootId: string | undefined | null = null;

function currentBootId(): string | undefined {
  if (bootId === null) bootId = readText("/proc/sys/kernel/random/boot_id")?.trim() || undefined;
  return bootId;
}

/**
 * When process `pid` started, as a token unique on this host across reboots: the boot id and field 22
 * (`starttime`) of `/proc/<pid>/stat`. Undefined when there is no such process or no `/proc` (not Linux).
 */
export function processStartToken(pid: number): string | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const boot = currentBootId();
  const stat = readText(`/proc/${pid}/stat`);
  if (boot === undefined || stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces and ")": the fields after it start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const start = fields[19]; // field 22; fields[0] is field 3
  return start === undefined || !/^\d+$/.test(start) ? undefined : `${boot}:${start}`;
}

let own: ProcessOwner | undefined;

/** This process, as the owner of the runs it records. */
export function currentOwner(): ProcessOwner {
  own ??= { pid: process.pid, host: hostname(), processStart: processStartToken(process.pid) };
  return own;
}

/**
 * True when `owner` is provably gone: it ran on this host and its pid is free, or now belongs to a process
 * that started at another time. Owners on other hosts (or of unknown host) are never taken for gone: this
 * process cannot see them.
 */
export function ownerGone(owner: ProcessOwner): boolean {
  if (owner.host === undefined || owner.host !== currentOwner().host) return false;
  if (owner.pid === process.pid) return owner.processStart !== undefined && owner.processStart !== currentOwner().processStart;
  if (!isProcessAlive(owner.pid)) return true;
  if (owner.processStart === undefined) return false;
  const now = processStartToken(owner.pid);
  return now !== undefined && now !== owner.processStart;
}

/** This process's host and start token, as a spool header keeps them (undefined ones left out). */
export function ownerFields(): { host?: string; processStart?: string } {
  const { host, processStart } = currentOwner();
  return { ...(host !== undefined ? { host } : {}), ...(processStart !== undefined ? { processStart } : {}) };
}
