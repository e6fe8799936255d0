/**
 * An empty plain object for keys that are data names (datasets, steps): the same as `{}` (same prototype,
 * same key order) but in V8's dictionary mode from the start. A `{}` given a property named after one of
 * thousands of datasets makes V8 build a new hidden class for each name, and a run of many steps then
 * spends most of its time there and in the garbage collector.
 */
export function keyedRecord<T>(): Record<string, T> {
  // Deleting a property other than the last one is what turns an object to dictionary mode (cheaper than
  // Object.setPrototypeOf on a prototype-less object, which showed in the profile itself).
  const record: Record<string, unknown> = { $first: 0, $second: 0 };
  delete record.$first;
  delete record.$second;
  return record as Record<string, T>;
}
