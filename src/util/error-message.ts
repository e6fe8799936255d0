import { maskUrlsIn } from "./mask-url.js";

/**
 * The message of anything thrown, for records and events (a thrown string is its own message), with the
 * credentials of any URL in it masked (`http://user:***@host`): events, warnings, the history, lineage and
 * every message linea prints take their error text from here.
 */
export function errorMessage(error: unknown): string {
  return maskUrlsIn(rawMessage(error));
}

function rawMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
