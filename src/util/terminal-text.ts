/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts colour, cursor and title
 * sequences; BEL, backspace, carriage return rewrite what is shown), DEL, C1 controls (U+009B is a
 * one-character CSI), and the bidirectional overrides that reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The characters of {@link CONTROLS} that `JSON.stringify` leaves raw. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Text that came from a pipeline (step and layer names, error messages, sample values, paths) made safe to
 * print on a terminal: every control character and the escape sequences they start are shown as text
 * (`\x1b[31m`, `\x07`, `\u202e`), never acted on. On one line (the default) line breaks and tabs, with the
 * blanks around them, become one space; with `multiline`, `\n` and tabs are kept (and `\r\n` is read as `\n`). The one helper for
 * everything the CLI and the default logger print.
 *
 * @example
 * ```ts
 * neutralizeTerminal("bad\x1b]0;owned\x07 name") // 'bad\\x1b]0;owned\\x07 name'
 * ```
 */
export function neutralizeTerminal(text: string, options: { multiline?: boolean } = {}): string {
  const multiline = options.multiline === true;
  // On one line, a line break and the blanks around it become one space.
  const source = multiline ? text.replace(/\r\n/g, "\n") : text.replace(/[ ]*[\n\r\t\u2028\u2029]\s*/g, " ");
  return source.replace(CONTROLS, (char) => {
    if (char === "\n" || char === "\t") return multiline ? char : " ";
    if (char === "\r" || char === "\u2028" || char === "\u2029") return multiline ? (char === "\r" ? visible(char) : "\n") : " ";
    return visible(char);
  });
}

/**
 * JSON text made safe to print on a terminal, still the same JSON: `JSON.stringify` escapes C0 controls
 * but leaves DEL, C1 controls and the bidirectional overrides raw inside strings; they become `\uXXXX`.
 */
export function neutralizeJson(json: string): string {
  return json.replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
