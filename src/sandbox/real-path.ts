import { realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The path with every symbolic link resolved, for a path that may not exist yet (a write target): the
 * nearest existing ancestor is resolved and the rest appended. `path` must be absolute.
 */
export function realPathOf(path: string): string {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync.native(current), ...rest.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      rest.push(basename(current));
      current = parent;
    }
  }
}
