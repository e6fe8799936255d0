import { CheckpointNotFoundError } from "../../checkpoint/run-checkpoint.js";
import { EventBus } from "../../events/event-bus.js";
import { checkpointStoreOf, sharedStoreDirs } from "../../orchestrator/create-run-services.js";
import { Orchestrator } from "../../orchestrator/orchestrator.js";
import { loadPipeline } from "../../pipeline-file/load-pipeline.js";
import { registerPipelineHooks } from "../../pipeline-file/register-pipeline-hooks.js";
import { isSafeId } from "../../util/ids.js";
import type { CliIo } from "../cli-io.js";
import type { ExitCode } from "../exit-codes.js";
import { EXIT } from "../exit-codes.js";
import { COMMAND_FLAGS } from "../command-flags.js";
import { parseCommand, positionals, wholeNumber } from "../parse-command.js";
import { checkpointPath, historyFlag, pipelineOptions, storeAddress } from "../pipeline-options.js";
import { runWithDisplay } from "../run-with-display.js";
import { envChoice } from "../param-flags.js";
import { UsageError } from "../usage-error.js";

/**
 * `linea resume <run-id>`: finds the run's checkpoint (in `.linea/checkpoints`, or `--checkpoint-dir`),
 * loads the pipeline file it ran, and runs again only what did not succeed.
 */
export async function resumeCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("resume", args, COMMAND_FLAGS.resume);
  const [runId] = positionals("resume", given, ["run-id"]) as [string];
  if (!isSafeId(runId)) throw new UsageError(`Not a run id: ${JSON.stringify(runId)}. \`linea history\` lists runs.`);
  // A distributed run's checkpoints are in its shared store.
  const shared = values["checkpoint-dir"] === undefined && values.store !== undefined
    ? sharedStoreDirs({ queue: values.queue, store: storeAddress(io, values.store) }, io.cwd)
    : undefined;
  const dir = shared?.checkpoints ?? checkpointPath(io, values["checkpoint-dir"]);
  const checkpoint = await checkpointStoreOf(dir, io.cwd).load(runId).catch((error: unknown) => {
    if (error instanceof CheckpointNotFoundError && values.queue === undefined) {
      error.message += " A distributed run's checkpoint is in its shared store: resume it with the same --queue and --store.";
    }
    throw error;
  });
  if (checkpoint.run.status === "success") {
    io.out(`Nothing to resume in run ${JSON.stringify(runId)}: it already succeeded (attempt ${checkpoint.run.attempt}).\n`);
    return EXIT.success;
  }
  // Each option not given keeps the value the resumed run ran with.
  const resumeOptions = {
    ...(values["no-cache"] ? { cache: false } : {}),
    ...(values["continue-on-error"] ? { continueOnError: true } : {}),
    ...optional("maxRetries", wholeNumber("max-retries", values["max-retries"], 0)),
    ...optional("maxWorkers", wholeNumber("max-workers", values["max-workers"], 1)),
  };
  const pipelinePath = checkpoint.run.pipelinePath;
  if (pipelinePath === undefined) {
    throw new UsageError(
      `Run ${JSON.stringify(runId)} was not started by the linea command (its checkpoint names no pipeline file); resume it from its script with orchestrator.resume(runId).`,
    );
  }
  const pipeline = await loadPipeline(pipelinePath, { cwd: io.cwd, env: envChoice(values.env, io.env), variables: io.env });
  // A module pipeline's own bus keeps its hooks; the CLI adds its progress display to it.
  const bus = pipeline.options.eventBus ?? new EventBus();
  registerPipelineHooks(bus, pipeline.hooks, io.env);
  const orchestrator = new Orchestrator(pipelineOptions(pipeline, { historyDb: historyFlag(values), ...(typeof dir === "string" ? { checkpointDir: dir } : {}), params: values.param, queue: values.queue, queueName: values["queue-name"], store: values.store, allowPaths: values["allow-path"] }, io, bus));
  try {
    return await runWithDisplay(io, bus, { json: values.json, quiet: values.quiet, lineageOut: values["lineage-out"] }, (signal) =>
      orchestrator.resume(runId, { signal, pipelinePath, ...resumeOptions }),
    );
  } finally {
    await orchestrator.close();
  }
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
