/** A record as a flat list of its keys, each followed by its value: `[name, value, name, value, ...]`. */
export type NamedList<T> = Array<string | T>;

/** `record` as a {@link NamedList} of `value` of each entry, in the record's key order. */
export function namedList<T, U>(record: Readonly<Record<string, T>>, value: (v: T) => U): NamedList<U> {
  const names = Object.keys(record);
  const list = new Array<string | U>(names.length * 2);
  for (let i = 0; i < names.length; i++) {
    list[2 * i] = names[i] as string;
    list[2 * i + 1] = value(record[names[i] as string] as T);
  }
  return list;
}
