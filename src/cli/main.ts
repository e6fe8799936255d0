import { LineaError } from "../errors/linea-error.js";
import { errorMessage } from "../util/error-message.js";
import { processIo, type CliIo } from "./cli-io.js";
import { historyCommand } from "./commands/history-command.js";
import { lineageCommand } from "./commands/lineage-command.js";
import { planCommand } from "./commands/plan-command.js";
import { resumeCommand } from "./commands/resume-command.js";
import { runCommand } from "./commands/run-command.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { USAGE, UsageError } from "./usage-error.js";

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<ExitCode>> = {
  plan: planCommand,
  run: runCommand,
  resume: resumeCommand,
  history: historyCommand,
  lineage: lineageCommand,
};

/** Errors that mean the input was wrong (usage, pipeline file, steps, plan, run id), not that a run failed. */
const INPUT_ERRORS = new Set(["INVALID_OPTIONS", "INVALID_STEP", "DUPLICATE_STEP", "DUPLICATE_OUTPUT", "CYCLE", "MISSING_INPUT", "PIPELINE_FILE", "CHECKPOINT", "SELECTION", "PARAMS"]);

function report(error: unknown, io: CliIo, json: boolean): ExitCode {
  const code = error instanceof LineaError ? error.code : undefined;
  const exit = code !== undefined && INPUT_ERRORS.has(code) ? EXIT.usage : EXIT.failed;
  if (json) io.out(JSON.stringify({ error: { code: code ?? "INTERNAL", message: errorMessage(error) } }, null, 2));
  else {
    io.err(`linea: ${errorMessage(error)}\n`);
    if (error instanceof UsageError) io.err("Run `linea help` for usage.\n");
    else if (exit === EXIT.failed && !(error instanceof LineaError)) io.err(`${(error as Error).stack ?? ""}\n`);
  }
  return exit;
}

/**
 * The `linea` command: `plan`, `run`, `resume`, `history`, `lineage` (see {@link USAGE}). Returns the exit
 * code: 0 success, 1 the pipeline failed, 2 bad usage or an invalid pipeline, 130 interrupted.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [command, ...args] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    (command === undefined ? io.err : io.out)(`${USAGE}\n`);
    return command === undefined ? EXIT.usage : EXIT.success;
  }
  const json = args.includes("--json");
  try {
    const run = COMMANDS[command];
    if (run === undefined) throw new UsageError(`Unknown command ${JSON.stringify(command)}; commands are ${Object.keys(COMMANDS).join(", ")}.`);
    return await run(args, io);
  } catch (error) {
    return report(error, io, json);
  }
}
