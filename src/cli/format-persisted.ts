import type { PersistedOutput } from "../cache/stored-output.js";
import { neutralizeTerminal } from "../util/terminal-text.js";

const HOW: Record<PersistedOutput["kept"], string> = {
  object: "stored", inline: "inline", "source-file": "source file", "written-file": "written file", recompute: "",
};

/**
 * The run's log of what the cache and checkpoint kept, in one or two lines: how many outputs were kept and
 * how, then each output not kept and why (recomputed from its inputs when a later run or a resume needs it).
 * Empty when the run kept nothing new.
 */
export function formatPersisted(persisted: readonly PersistedOutput[]): string {
  if (persisted.length === 0) return "";
  const kept = persisted.filter((p) => p.kept !== "recompute");
  const counts = new Map<string, number>();
  for (const p of kept) counts.set(HOW[p.kept], (counts.get(HOW[p.kept]) ?? 0) + 1);
  const how = [...counts].map(([name, n]) => `${n} ${name}`).join(", ");
  const lines = [`kept: ${kept.length} output${kept.length === 1 ? "" : "s"}${how ? ` (${how})` : ""}`];
  const dropped = persisted.filter((p) => p.kept === "recompute");
  if (dropped.length > 0) {
    lines.push(`not kept, recomputed from their inputs when needed: ${dropped.map((p) => `${p.dataset} (${p.reason})`).join("; ")}`);
  }
  return neutralizeTerminal(lines.join("\n"));
}
