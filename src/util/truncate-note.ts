/** How long a note in a table may be: its first line, at most this many characters. */
export const NOTE_WIDTH = 100;

/**
 * A note fit for a table cell: its first line, cut at {@link NOTE_WIDTH} characters with `…`, and `…` when
 * more lines follow. The whole text stays where it is recorded (`--json`, the history).
 */
export function truncateNote(note: string, width = NOTE_WIDTH): string {
  const lines = note.trim().split(/\r?\n/);
  const first = (lines[0] ?? "").trimEnd();
  if (first.length > width) return `${first.slice(0, width - 1).trimEnd()}…`;
  return lines.length > 1 ? `${first} …` : first;
}
