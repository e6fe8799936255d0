import type { DuckDBValue } from "@duckdb/node-api";
import { ownerGone, type ProcessOwner } from "./process-owner.js";
import { queryRows, type HistorySource } from "./read-history.js";

function iso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function describeOwner(owner: ProcessOwner): string {
  return `pid ${owner.pid}${owner.host === undefined ? "" : ` on ${owner.host}`}`;
}

/**
 * Records one `running` run attempt as `crashed`: its end time is its last sign of life (its last recorded
 * event, else its start), and its note says how it was found. Leaves a run that is no longer `running` alone.
 */
export async function markCrashed(
  source: HistorySource,
  run: { readonly runId: string; readonly attempt: number; readonly startTime: string },
  owner: ProcessOwner,
  now: Date = new Date(),
): Promise<void> {
  const [last] = await queryRows(source, "SELECT max(event_time) AS t FROM run_log WHERE run_id = $1 AND attempt = $2", [run.runId, run.attempt]);
  const end = iso(last?.t) ?? run.startTime;
  const durationMs = Math.max(0, Date.parse(end) - Date.parse(run.startTime)) || 0;
  const note = `its process (${describeOwner(owner)}) ended before the run finished; found ${now.toISOString()}. ` +
    "The end time is its last recorded event. `linea resume` runs what it left.";
  const values: DuckDBValue[] = [end, durationMs, note, now.toISOString(), run.runId, run.attempt];
  await queryRows(source,
    "UPDATE run_summary SET status = 'crashed', end_time = CAST($1 AS TIMESTAMPTZ), duration_ms = $2, status_note = $3, " +
      "recorded_at = CAST($4 AS TIMESTAMPTZ) WHERE run_id = $5 AND attempt = $6 AND status = 'running'", values);
}

/**
 * Marks as `crashed` every `running` run attempt whose process is provably gone: it ran on this host and its
 * pid is free or belongs to a process started since (see {@link ownerGone}). Runs of other hosts, and rows
 * that do not say their host, are left as they are. Returns how many it marked.
 */
export async function reapCrashedRuns(source: HistorySource, now: Date = new Date()): Promise<number> {
  const rows = await queryRows(source, "SELECT run_id, attempt, pid, host, process_start, start_time FROM run_summary WHERE status = 'running'");
  let reaped = 0;
  for (const r of rows) {
    if (r.pid === null || r.pid === undefined || r.host === null || r.host === undefined) continue;
    const owner: ProcessOwner = {
      pid: Number(r.pid), host: String(r.host), processStart: r.process_start === null || r.process_start === undefined ? undefined : String(r.process_start),
    };
    if (!ownerGone(owner)) continue;
    await markCrashed(source, { runId: String(r.run_id), attempt: Number(r.attempt), startTime: iso(r.start_time) ?? now.toISOString() }, owner, now);
    reaped++;
  }
  return reaped;
}
