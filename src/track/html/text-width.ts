/** Width of a monospace character, as a share of the font size. The report's SVG text is monospace. */
const CHAR_EM = 0.62;

/** The width in pixels that `text` takes in the report's monospace SVG font at `fontSize`. */
export function textWidth(text: string, fontSize: number): number {
  return Array.from(text).length * fontSize * CHAR_EM;
}
