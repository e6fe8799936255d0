import { historyStoreOf } from "../../orchestrator/create-run-services.js";
import type { RunAttemptDetail, RunSummaryRow } from "../../history/history-rows.js";
import { isSafeId } from "../../util/ids.js";
import { formatDuration, textTable } from "../../util/text-table.js";
import { toJsonSafe } from "../../util/json-safe.js";
import { truncateNote } from "../../util/truncate-note.js";
import { redactUrl } from "../../history/postgres/postgres-url.js";
import { neutralizeJson, neutralizeTerminal } from "../../util/terminal-text.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { COMMAND_FLAGS } from "../command-flags.js";
import { parseCommand, positionals, wholeNumber } from "../parse-command.js";
import { historyFlag, historyPath } from "../pipeline-options.js";
import { UsageError } from "../usage-error.js";
import { formatCount } from "../../util/format-count.js";

function counts(row: RunSummaryRow): string {
  if (row.counts === undefined) return "";
  return Object.entries(row.counts).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`).join(", ");
}

function runsTable(rows: readonly RunSummaryRow[]): string {
  return textTable(
    ["run id", "try", "pipeline", "status", "started", "time", "steps"],
    rows.map((r) => [r.runId, String(r.attempt), r.pipelineName, r.status, r.startTime.replace("T", " ").slice(0, 19), r.durationMs === undefined ? "" : formatDuration(r.durationMs), counts(r)]),
    new Set([1, 5]),
  );
}

function attemptText(detail: RunAttemptDetail): string {
  const s = detail.summary;
  const head = `attempt ${s.attempt}: ${s.status}${s.durationMs === undefined ? "" : ` in ${formatDuration(s.durationMs)}`} (started ${s.startTime}${s.exitCode === undefined ? "" : `, exit ${s.exitCode}`})`;
  const nodes = textTable(
    ["step", "status", "rows", "time", "tries", "note"],
    detail.nodes.map((n) => [
      n.stepName, n.status, n.rowCount === undefined ? "" : formatCount(n.rowCount),
      n.status === "skipped" ? "" : formatDuration(n.durationMs), n.attempts > 1 ? String(n.attempts) : "",
      truncateNote(n.error ?? "") || (n.kind === "blocked" ? `blocked by ${n.blockedBy}` : n.kind === "aborted" ? `aborted (${n.statusReason})` : n.reusedFrom ? `from ${n.reusedFrom}` : ""),
    ]),
    new Set([2, 3, 4]),
  );
  const reasons = detail.snapshot?.failure_reasons.map((f) => neutralizeTerminal(`  ${f.step}: ${f.error}`)).join("\n");
  const note = s.statusNote === undefined ? "" : `\n${neutralizeTerminal(s.statusNote)}`;
  return `${head}${note}\n${nodes}${reasons ? `\nfailures:\n${reasons}` : ""}`;
}

/** `linea history [run-id] [--pipeline NAME] [--limit N] [--json]`: the runs, newest first, or one run's attempts. */
export async function historyCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("history", args, COMMAND_FLAGS.history);
  const [runId] = positionals("history", given, ["run-id"], 1);
  const path = historyPath(io, historyFlag(values));
  const history = historyStoreOf(path, io.cwd);
  if (runId === undefined) {
    const rows = await history.runs({ ...(values.pipeline ? { pipeline: values.pipeline } : {}), limit: wholeNumber("limit", values.limit, 1) ?? 20 });
    if (values.json) io.out(neutralizeJson(JSON.stringify(toJsonSafe(rows), null, 2)));
    else io.out(rows.length === 0 ? `No runs recorded in ${neutralizeTerminal(history.location)} yet.` : runsTable(rows));
    return EXIT.success;
  }
  if (!isSafeId(runId)) throw new UsageError(`Not a run id: ${JSON.stringify(runId)}. \`linea history\` lists runs.`);
  const detail = await history.run(runId);
  if (detail === undefined) throw new UsageError(`No run ${JSON.stringify(runId)} in ${redactUrl(path)}. \`linea history\` lists runs.`);
  if (values.json) io.out(neutralizeJson(JSON.stringify(toJsonSafe(detail), null, 2)));
  else {
    const first = detail.attempts[0]?.summary;
    const head = neutralizeTerminal(`${runId}  ${first?.pipelineName ?? ""}${first?.pipelinePath ? `  (${first.pipelinePath})` : ""}`);
    io.out(`${head}\n\n${detail.attempts.map(attemptText).join("\n\n")}`);
  }
  return EXIT.success;
}
