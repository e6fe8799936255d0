import { resolve } from "node:path";
import { LINEA_DIR } from "../util/default-paths.js";
import { EventBus } from "../events/event-bus.js";
import type { RunResult } from "../execute/run-result.js";
import { formatRunSummary } from "../execute/summarize-run.js";
import { fileInside, safeFileName } from "../sandbox/safe-file-name.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { sweepTempFiles } from "../util/sweep-temp-files.js";
import { neutralizeJson, neutralizeTerminal } from "../util/terminal-text.js";
import type { CliIo } from "./cli-io.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { ProgressDisplay } from "./progress-display.js";
import { formatPersisted } from "./format-persisted.js";
import { runJson } from "./run-json.js";

/** How a run's outcome is shown. */
export interface DisplayFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly lineageOut?: string;
}

/** The exit code of a finished run. */
export function exitCodeOf(result: RunResult): ExitCode {
  if (result.interrupted) return EXIT.interrupted;
  return result.status === "success" ? EXIT.success : EXIT.failed;
}

/**
 * Runs `start` with progress on stderr (unless `--json` or `--quiet`) and Ctrl-C turned into an interrupt:
 * the first starts nothing new and aborts running steps (the run is recorded as interrupted and can be
 * resumed); a second exits at once. Then prints the summary (or JSON) and writes the lineage exports.
 */
export async function runWithDisplay(
  io: CliIo,
  bus: EventBus,
  flags: DisplayFlags,
  start: (signal: AbortSignal) => Promise<RunResult>,
): Promise<ExitCode> {
  const progress = new ProgressDisplay(io);
  if (!flags.json && !flags.quiet) bus.registerHook("*", progress.hook, undefined, { name: "progress" });
  const controller = new AbortController();
  const stopListening = io.onInterrupt((signal) => {
    if (controller.signal.aborted) {
      io.err(`\nlinea: ${signal} again: exiting now.\n`);
      process.exit(EXIT.interrupted);
    }
    io.err(`\nlinea: ${signal}: interrupting: no new steps start and running steps are aborted (again to exit at once).\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  });
  let result: RunResult;
  try {
    result = await start(controller.signal);
  } finally {
    stopListening();
    progress.stop();
  }
  if (flags.lineageOut !== undefined) await writeLineage(io, result, flags.lineageOut, !flags.json && !flags.quiet);
  if (flags.json) io.out(neutralizeJson(JSON.stringify(runJson(result), null, 2)));
  else {
    io.out(formatRunSummary(result));
    const persisted = formatPersisted(result.persisted);
    if (persisted !== "" && !flags.quiet) io.out(persisted);
    if (result.interrupted) io.out(`\ninterrupted; finish it with: linea resume ${result.runId}`);
    else if (result.status === "failed") io.out(`\nrun ${result.runId} failed; after a fix: linea resume ${result.runId}`);
  }
  await result.dispose();
  return exitCodeOf(result);
}

/**
 * Writes the run's lineage JSON, OpenLineage events and HTML report into `dir`, named after the pipeline
 * (its name made a safe file name: a pipeline named `../../x` still writes inside `dir`).
 */
async function writeLineage(io: CliIo, result: RunResult, dir: string, tell: boolean): Promise<void> {
  const base = fileInside(resolve(io.cwd, dir), safeFileName(result.pipelineName));
  await sweepTempFiles([{ dir: resolve(io.cwd, dir), depth: 1 }]); // what earlier runs that died left there
  await result.tracker.exportLineage(`${base}.json`);
  await result.tracker.exportOpenLineage(`${base}.openlineage.jsonl`);
  // The graph's layout is kept under .linea/layouts: a rerun of the same pipeline does not load ELK.
  await result.tracker.exportHtml(`${base}.html`, { layoutCacheDir: resolve(io.cwd, LINEA_DIR, "layouts") });
  await writeFileAtomic(`${base}.run.json`, `${JSON.stringify(runJson(result), null, 2)}\n`);
  if (tell) io.err(`lineage: ${neutralizeTerminal(base)}.json, .openlineage.jsonl, .html\n`);
}
