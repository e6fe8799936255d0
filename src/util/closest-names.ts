/**
 * Names from `candidates` close to `name`, closest first: the "did you mean" of a missing-input error.
 * A candidate qualifies when its edit distance is at most a third of the longer name (at least 1), or
 * when one name contains the other.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored: Array<{ candidate: string; distance: number }> = [];
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const other = candidate.toLowerCase();
    const distance = editDistance(lower, other);
    const allowed = Math.max(1, Math.floor(Math.max(lower.length, other.length) / 3));
    const contains = lower.length >= 3 && other.length >= 3 && (other.includes(lower) || lower.includes(other));
    if (distance <= allowed || contains) scored.push({ candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap of two adjacent characters as
 * one edit (optimal string alignment), so that `rnu` is one edit from `run`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current[j] = best;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
