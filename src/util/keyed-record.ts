/**
 * An empty plain object for keys that are data names (datasets, steps): the same as `{}` (same prototype,
 * same key order) but in V8's dictionary mode from the start. A `{}` given a property named after one of
 * thousands of datasets makes V8 build a new hidden class for each name, and a run of many steps then
 * spends most of its time there and in the garbage collector.
 */
export function keyedRecord<T>(): Record<string, T> {
  // Deleting a property other than the last one is what turns an object to dictionary mode, and every
  // object made so shares one map. (Giving a prototype-less object Object.prototype is quicker to make, but
  // leaves each object a map of its own: thousands of maps, and every access to them megamorphic.)
  const record: Record<string, unknown> = { $first: 0, $second: 0 };
  delete record.$first;
  delete record.$second;
  return record as Record<string, T>;
}
