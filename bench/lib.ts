/** Small helpers shared by the benchmarks. */

/** A seeded PRNG (mulberry32): the same workload every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Milliseconds `fn` takes. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** The median of the timings of `runs` calls of `fn` (after `warmup` untimed calls). */
export async function median(runs: number, fn: () => Promise<unknown>, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export interface BenchLine {
  readonly name: string;
  readonly value: string;
  readonly target?: string;
  readonly ok?: boolean;
}

export function printLines(title: string, lines: readonly BenchLine[]): void {
  console.log(`\n## ${title}`);
  for (const line of lines) {
    const verdict = line.ok === undefined ? "" : line.ok ? "  ok" : "  MISSED";
    console.log(`- ${line.name}: ${line.value}${line.target ? ` (target ${line.target})` : ""}${verdict}`);
  }
}
