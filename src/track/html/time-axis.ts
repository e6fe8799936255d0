/**
 * The tick spacing for a time axis of `spanMs`: the smallest of 1, 2 or 5 times a power of ten (from 1 ms)
 * that gives at most `maxTicks` intervals.
 *
 * @example
 * tickStep(1234) // 200 (ticks at 0, 200, ..., 1200)
 */
export function tickStep(spanMs: number, maxTicks = 8): number {
  const rough = Math.max(1, spanMs / maxTicks);
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5, 10]) if (power * factor >= rough) return power * factor;
  return power * 10;
}

/** Tick positions (ms from the start) from 0 to `spanMs`, every {@link tickStep}. */
export function timeTicks(spanMs: number, maxTicks = 8): number[] {
  const step = tickStep(spanMs, maxTicks);
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs + 1e-9; t += step) ticks.push(t);
  return ticks;
}
