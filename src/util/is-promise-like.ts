/**
 * True for a promise or any other thenable (what `await` would wait for). The run path calls a step's body
 * and goes on synchronously when it returned a plain value: a many-step run of quick steps spent most of its
 * time in the promises between the scheduler and the body.
 */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}
