import { LineaError } from "../errors/linea-error.js";
import { closestNames } from "../util/closest-names.js";
import { errorMessage } from "../util/error-message.js";
import { LINEA_VERSION } from "../util/version.js";
import { neutralizeJson, neutralizeTerminal } from "../util/terminal-text.js";
import { processIo, type CliIo } from "./cli-io.js";
import { COMMAND_NAMES, commandHelp, type CommandName } from "./command-help.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { USAGE, UsageError } from "./usage-error.js";

type Command = (args: string[], io: CliIo) => Promise<ExitCode>;

/**
 * Each command's module, imported only when that command runs: `linea --help` loads none of them, and
 * `linea history` loads no orchestrator.
 */
const COMMANDS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  plan: async () => (await import("./commands/plan-command.js")).planCommand,
  run: async () => (await import("./commands/run-command.js")).runCommand,
  resume: async () => (await import("./commands/resume-command.js")).resumeCommand,
  history: async () => (await import("./commands/history-command.js")).historyCommand,
  lineage: async () => (await import("./commands/lineage-command.js")).lineageCommand,
  worker: async () => (await import("./commands/worker-command.js")).workerCommand,
  diff: async () => (await import("./commands/diff-command.js")).diffCommand,
};

/** Errors that mean the input was wrong (usage, pipeline file, steps, plan, run id), not that a run failed. */
const INPUT_ERRORS = new Set(["INVALID_OPTIONS", "INVALID_STEP", "DUPLICATE_STEP", "DUPLICATE_OUTPUT", "CYCLE", "MISSING_INPUT", "PIPELINE_FILE", "CHECKPOINT", "SELECTION", "PARAMS", "SANDBOX"]);

function report(error: unknown, io: CliIo, json: boolean): ExitCode {
  const code = error instanceof LineaError ? error.code : undefined;
  const exit = code !== undefined && INPUT_ERRORS.has(code) ? EXIT.usage : EXIT.failed;
  if (json) io.out(neutralizeJson(JSON.stringify({ error: { code: code ?? "INTERNAL", message: errorMessage(error) } }, null, 2)));
  else {
    io.err(`linea: ${neutralizeTerminal(errorMessage(error), { multiline: true })}\n`);
    if (error instanceof UsageError) io.err("Run `linea help` for usage.\n");
    else if (exit === EXIT.failed && !(error instanceof LineaError)) io.err(`${neutralizeTerminal((error as Error).stack ?? "", { multiline: true })}\n`);
  }
  return exit;
}

function isCommand(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

function unknownCommand(command: string): UsageError {
  const [hint] = closestNames(command, COMMAND_NAMES);
  const guess = hint === undefined ? "" : ` (did you mean ${JSON.stringify(hint)}?)`;
  return new UsageError(`Unknown command ${JSON.stringify(command)}${guess}; commands are ${COMMAND_NAMES.join(", ")}.`);
}

/**
 * The `linea` command: `plan`, `run`, `resume`, `history`, `lineage` (see {@link USAGE}); `--version`, and
 * `<command> --help`. Returns the exit code: 0 success, 1 the pipeline failed, 2 bad usage or an invalid
 * pipeline, 130 interrupted.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [command, ...args] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    const topic = args[0];
    if (command === "help" && topic !== undefined && isCommand(topic)) io.out(`${commandHelp(topic)}\n`);
    else (command === undefined ? io.err : io.out)(`${USAGE}\n`);
    return command === undefined ? EXIT.usage : EXIT.success;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    io.out(`${LINEA_VERSION}\n`);
    return EXIT.success;
  }
  const json = args.includes("--json");
  try {
    if (!isCommand(command)) throw unknownCommand(command);
    // `--help` anywhere before a `--` asks for the command's help; nothing else is parsed.
    const end = args.indexOf("--");
    const options = end === -1 ? args : args.slice(0, end);
    if (options.includes("--help") || options.includes("-h")) {
      io.out(`${commandHelp(command)}\n`);
      return EXIT.success;
    }
    const run = await COMMANDS[command]();
    return await run(args, io);
  } catch (error) {
    return report(error, io, json);
  }
}
