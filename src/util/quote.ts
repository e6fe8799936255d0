/** Quotes a name for use in a message: `"orders"`. */
export function q(name: string): string {
  return JSON.stringify(name);
}

/** Quotes a list of names for a message, in the order given: `"a", "b"`. */
export function qList(names: readonly string[]): string {
  return names.map(q).join(", ");
}
