/**
 * A cycle among `remaining`: the steps a topological sort could not place. Each of them still waits for
 * an upstream in `remaining`, so walking upstream from any of them must come back to a step already
 * seen. Returns indices in data-flow order, starting at the lowest index on the cycle, the first
 * repeated at the end. Deterministic: the walk starts at the lowest index and takes the lowest upstream.
 */
export function findCycle(remaining: ReadonlySet<number>, upstream: readonly (readonly number[])[]): number[] {
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let node: number | undefined = Math.min(...remaining);
  while (node !== undefined && !seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    node = upstream[node]?.find((up) => remaining.has(up));
  }
  if (node === undefined) return [];
  const cycle = path.slice(seenAt.get(node)).reverse();
  const lowest = cycle.indexOf(Math.min(...cycle));
  const rotated = [...cycle.slice(lowest), ...cycle.slice(0, lowest)];
  return [...rotated, rotated[0] as number];
}
