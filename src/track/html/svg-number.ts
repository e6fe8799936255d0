/** A coordinate for SVG markup: rounded to a tenth of a pixel, so the document stays small and stable. */
export function px(value: number): number {
  return Math.round(value * 10) / 10;
}
