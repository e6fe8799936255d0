/** What a masked secret is shown as. */
export const MASK = "***";

/** Query parameters whose values are credentials. */
const SECRET_PARAMS = /^(?:.*[-_])?(?:token|key|apikey|secret|password|passwd|pwd|sig|signature|auth|authorization|credential|credentials|code)$/i;

/** A URL inside a text: a scheme, `://`, then everything up to whitespace, a quote or an angle bracket. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** `scheme://user:pass@`: a URL's user info, up to the last `@` before its path. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/** One `name=value` of a query string. */
const QUERY_PARAM = /([?&])([^=&#]+)=([^&#]*)/g;

/**
 * A URL with its credentials masked, for printing and recording: the password (`http://user:***@host`), a
 * user name that stands alone on a web URL (a token: `https://***@host`), and the values of query parameters named like
 * credentials (`?api_key=***`, `&token=***`, `&X-Amz-Signature=***`). The rest is kept as written, and
 * text that does not parse as a URL is masked all the same.
 *
 * @example
 * ```ts
 * maskUrl("http://u:secret@host:5000/api?token=abc&x=1") // "http://u:***@host:5000/api?token=***&x=1"
 * ```
 */
export function maskUrl(url: string): string {
  const withoutUser = url.replace(USER_INFO, (_, scheme: string, info: string) => {
    const colon = info.indexOf(":");
    if (colon >= 0) return `${scheme}${info.slice(0, colon)}:${MASK}@`;
    // A lone user name on a web URL is a token (https://TOKEN@host); elsewhere (postgres://user@host) a user.
    return /^https?:/i.test(scheme) ? `${scheme}${MASK}@` : `${scheme}${info}@`;
  });
  const query = withoutUser.indexOf("?");
  if (query < 0) return withoutUser;
  const head = withoutUser.slice(0, query);
  const tail = withoutUser.slice(query).replace(QUERY_PARAM, (all, sep: string, name: string) =>
    SECRET_PARAMS.test(decodeSafe(name)) ? `${sep}${name}=${MASK}` : all);
  return head + tail;
}

/** Every URL in a text (an error message, a log line) with its credentials masked by {@link maskUrl}. */
export function maskUrlsIn(text: string): string {
  if (!text.includes("://")) return text;
  return text.replace(URL_IN_TEXT, (url) => {
    // A URL quoted at the end of a sentence keeps its closing punctuation outside.
    const [, body = url, tail = ""] = /^(.*?)([.,;:!?)\]]*)$/.exec(url) ?? [];
    return maskUrl(body) + tail;
  });
}

/**
 * The parts of a URL that are credentials and that a server may echo back in an error body: the password
 * (as written and decoded), a user name that stands alone, the values of query parameters named like
 * credentials, and each path segment that looks like a token (a webhook's: it has a digit, or is 16
 * characters or more). Longest first, so masking replaces whole secrets.
 */
export function urlSecrets(url: URL): string[] {
  const segments = url.pathname.split("/").filter((s) => s.length >= 6 && (/\d/.test(s) || s.length >= 16));
  const query = [...url.searchParams.entries()].filter(([name]) => SECRET_PARAMS.test(name)).map(([, value]) => value);
  const user = url.password === "" ? [url.username, decodeSafe(url.username)] : [];
  const parts = [url.password, decodeSafe(url.password), ...user, ...query, ...segments.flatMap((s) => [s, decodeSafe(s)])];
  return [...new Set(parts.filter((p) => p.length >= 4))].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by `replacement`. */
export function maskSecrets(text: string, secrets: readonly string[], replacement = MASK): string {
  return secrets.reduce((out, secret) => (secret === "" ? out : out.split(secret).join(replacement)), text);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
