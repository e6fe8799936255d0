let lastMs = -1;
let lastIso = "";

/** The current time as ISO 8601, formatted at most once per millisecond (events are stamped in bursts). */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
