import { resolve } from "node:path";
import { EventBus } from "../../events/event-bus.js";
import { Orchestrator } from "../../orchestrator/orchestrator.js";
import { loadPipeline } from "../../pipeline-file/load-pipeline.js";
import { registerPipelineHooks } from "../../pipeline-file/register-pipeline-hooks.js";
import { neutralizeJson } from "../../util/terminal-text.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { formatDryRun } from "../format-dry-run.js";
import { COMMAND_FLAGS } from "../command-flags.js";
import { nonNegativeNumber, parseCommand, positionals, wholeNumber } from "../parse-command.js";
import { historyFlag, pipelineOptions } from "../pipeline-options.js";
import { runWithDisplay } from "../run-with-display.js";
import { selectionOf } from "../selection-flags.js";
import { envChoice } from "../param-flags.js";

/**
 * `linea run <pipeline> [--continue-on-error] [--max-retries N] [--max-workers N] [--no-cache] [--persist auto|all] [--persist-recompute-factor X] [--dry-run]
 * [--lineage-out DIR] [--select EXPR] [--exclude EXPR] [--json] [--quiet]`.
 */
export async function runCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("run", args, COMMAND_FLAGS.run);
  const [path] = positionals("run", given, ["pipeline"]);
  const flags = {
    continueOnError: values["continue-on-error"],
    maxRetries: wholeNumber("max-retries", values["max-retries"], 0),
    maxWorkers: wholeNumber("max-workers", values["max-workers"], 1),
    noCache: values["no-cache"],
    persist: values.persist,
    persistSmallCells: wholeNumber("persist-small-cells", values["persist-small-cells"], 0),
    persistRecomputeFactor: nonNegativeNumber("persist-recompute-factor", values["persist-recompute-factor"]),
    historyDb: historyFlag(values),
    checkpointDir: values["checkpoint-dir"],
    params: values.param,
    queue: values.queue,
    queueName: values["queue-name"],
    store: values.store,
    allowPaths: values["allow-path"],
  };
  const pipelinePath = resolve(io.cwd, path as string);
  const pipeline = await loadPipeline(pipelinePath, { cwd: io.cwd, env: envChoice(values.env, io.env), variables: io.env });
  // A module pipeline's own bus keeps its hooks; the CLI adds its progress display to it.
  const bus = pipeline.options.eventBus ?? new EventBus();
  registerPipelineHooks(bus, pipeline.hooks, io.env);
  const orchestrator = new Orchestrator(pipelineOptions(pipeline, flags, io, bus));
  try {
    const selection = selectionOf(values);
    await orchestrator.validate(selection); // planning errors before anything else
    if (values["dry-run"]) {
      const report = await orchestrator.dryRun(selection);
      io.out(values.json ? neutralizeJson(JSON.stringify({ dryRun: true, ...report }, null, 2)) : formatDryRun(report));
      return EXIT.success;
    }
    return await runWithDisplay(io, bus, { json: values.json, quiet: values.quiet, lineageOut: values["lineage-out"] }, (signal) =>
      orchestrator.execute({ signal, pipelinePath, ...selection }),
    );
  } finally {
    await orchestrator.close();
  }
}
