/** Ends every switch over a closed set, so that adding a member fails to compile until it is handled. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
