import { LineaError } from "../errors/linea-error.js";
import { errorMessage } from "../util/error-message.js";
import { q } from "../util/quote.js";

/**
 * The shared object store (a folder or S3) could not be reached, read or written, or an object in it is
 * not what its name says. `store` is the store's address as the user gave it (never a credential).
 */
export class ObjectStoreError extends LineaError {
  readonly store: string;

  constructor(store: string, message: string, options?: { cause?: unknown }) {
    super("OBJECT_STORE", message, options);
    this.store = store;
  }
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "TimeoutError"]);

/** True for an error that says the store could not be reached at all (not that one object is missing). */
export function isUnreachable(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  if (e === undefined || e === null) return false;
  if (UNREACHABLE.has(String(e.code)) || UNREACHABLE.has(String(e.name))) return true;
  if (Array.isArray(e.errors) && e.errors.some(isUnreachable)) return true;
  return e.cause !== undefined && e.cause !== error && isUnreachable(e.cause);
}

/** Wraps a failure of `what` on the store in an {@link ObjectStoreError} with the fix. */
export function objectStoreFailure(store: string, kind: string, what: string, error: unknown): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const detail = errorMessage(error).trim().replace(/\.$/, "") || String((error as { name?: unknown })?.name ?? "unknown error");
  const fix = isUnreachable(error)
    ? `Is the ${kind} running and reachable from this machine? Start it, or point --store elsewhere.`
    : "Check the store's address and this machine's rights on it.";
  return new ObjectStoreError(store, `Object store ${q(store)} (${kind}) failed to ${what}: ${detail}. ${fix}`, { cause: error });
}
