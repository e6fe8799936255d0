import { diffRuns, type StepDiff } from "../../history/diff-runs.js";
import { openRunHistory } from "../../history/open-run-history.js";
import { redactUrl } from "../../history/postgres/postgres-url.js";
import { isSafeId } from "../../util/ids.js";
import { toJsonSafe } from "../../util/json-safe.js";
import { formatDuration, textTable } from "../../util/text-table.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { COMMAND_FLAGS } from "../command-flags.js";
import { parseCommand, positionals } from "../parse-command.js";
import { historyFlag, historyPath } from "../pipeline-options.js";
import { UsageError } from "../usage-error.js";
import { formatCount } from "../../util/format-count.js";

const pair = <T>(a: T | undefined, b: T | undefined, show: (v: T) => string = String): string => {
  const x = a === undefined ? "-" : show(a);
  const y = b === undefined ? "-" : show(b);
  return x === y ? x : `${x} → ${y}`;
};

function changes(s: StepDiff): string {
  const parts: string[] = [];
  if (s.presence === "added") parts.push("only in b");
  if (s.presence === "removed") parts.push("only in a");
  if (s.key.changed) {
    const inputs = s.key.changedInputs.length > 0 ? ` (${s.key.changedInputs.join(", ")})` : "";
    parts.push(`key changed: ${s.key.causes.join(", ")}${s.key.causes.includes("inputs") ? inputs : ""}`);
  }
  for (const c of s.schema) {
    const cols = [...c.added.map((x) => `+${x}`), ...c.removed.map((x) => `-${x}`), ...c.changed.map((x) => `${x.column} ${x.from}→${x.to}`)];
    parts.push(`schema ${c.dataset}: ${cols.join(" ")}`);
  }
  for (const c of s.checks) parts.push(`check ${c.name}: ${c.from ?? "-"} → ${c.to ?? "-"}`);
  return parts.join("; ");
}

/** `linea diff <run-a> <run-b> [--json] [--all]`: two runs compared step by step. */
export async function diffCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("diff", args, COMMAND_FLAGS.diff);
  const [runA, runB] = positionals("diff", given, ["run-a", "run-b"]) as [string, string];
  for (const id of [runA, runB]) if (!isSafeId(id)) throw new UsageError(`Not a run id: ${JSON.stringify(id)}. \`linea history\` lists runs.`);
  const path = historyPath(io, historyFlag(values));
  const history = openRunHistory(path);
  const [a, b] = await Promise.all([history.run(runA), history.run(runB)]);
  for (const [id, run] of [[runA, a], [runB, b]] as const) {
    if (run === undefined) throw new UsageError(`No run ${JSON.stringify(id)} in ${redactUrl(path)}. \`linea history\` lists runs.`);
  }
  const diff = diffRuns(a as NonNullable<typeof a>, b as NonNullable<typeof b>);
  if (values.json) {
    io.out(JSON.stringify(toJsonSafe(diff), null, 2));
    return EXIT.success;
  }
  const shown = values.all ? diff.steps : diff.steps.filter((s) => s.differs);
  const head = `a: ${diff.a.runId} (${diff.a.status}${diff.a.durationMs === undefined ? "" : `, ${formatDuration(diff.a.durationMs)}`})\n` +
    `b: ${diff.b.runId} (${diff.b.status}${diff.b.durationMs === undefined ? "" : `, ${formatDuration(diff.b.durationMs)}`})\n` +
    `${diff.steps.filter((s) => s.differs).length} of ${diff.steps.length} steps differ${values.all ? "" : " (--all shows every step)"}`;
  if (shown.length === 0) {
    io.out(head);
    return EXIT.success;
  }
  const table = textTable(
    ["step", "status", "rows", "time", "changes"],
    shown.map((s) => [s.step, pair(s.status.a, s.status.b), pair(s.rows.a, s.rows.b, formatCount), pair(s.durationMs.a, s.durationMs.b, formatDuration), changes(s)]),
  );
  io.out(`${head}\n${table}`);
  return EXIT.success;
}
