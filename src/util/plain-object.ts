export type PlainObject = Record<string, unknown>;

/** True for `{}` literals and `Object.create(null)`: not arrays, class instances, or null. */
export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
