import { closestNames, editDistance } from "./closest-names.js";

/**
 * {@link closestNames}, or when it finds none, names within two edits (a swapped pair of letters counts
 * two): the "did you mean" for short names typed on a command line.
 */
export function nearNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const list = [...candidates];
  const close = closestNames(name, list, limit);
  if (close.length > 0) return close;
  const lower = name.toLowerCase();
  return list.filter((c) => c !== name && editDistance(c.toLowerCase(), lower) <= 2).slice(0, limit);
}
