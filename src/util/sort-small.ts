/**
 * Sorts `items` in place by `compare` and returns it, as `Array.prototype.sort` does (stable): by insertion
 * for a short array, which most lists of a step's neighbours are (sort's own set-up costs more than the
 * sorting there, and planning a many-step pipeline sorts one per step), else by `sort`.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > 16) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i] as T;
    let j = i - 1;
    while (j >= 0 && compare(items[j] as T, item) > 0) {
      items[j + 1] = items[j] as T;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}
