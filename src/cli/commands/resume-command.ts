import { CheckpointStore } from "../../checkpoint/checkpoint-store.js";
import { EventBus } from "../../events/event-bus.js";
import { Orchestrator } from "../../orchestrator/orchestrator.js";
import { loadPipeline } from "../../pipeline-file/load-pipeline.js";
import { isSafeId } from "../../util/ids.js";
import type { CliIo } from "../cli-io.js";
import type { ExitCode } from "../exit-codes.js";
import { parseCommand, positionals } from "../parse-command.js";
import { checkpointPath, historyFlag, pipelineOptions } from "../pipeline-options.js";
import { runWithDisplay } from "../run-with-display.js";
import { envChoice, PARAM_FLAGS } from "../param-flags.js";
import { UsageError } from "../usage-error.js";

/**
 * `linea resume <run-id>`: finds the run's checkpoint (in `.linea/checkpoints`, or `--checkpoint-dir`),
 * loads the pipeline file it ran, and runs again only what did not succeed.
 */
export async function resumeCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("resume", args, { "lineage-out": { type: "string" }, ...PARAM_FLAGS });
  const [runId] = positionals("resume", given, ["run-id"]) as [string];
  if (!isSafeId(runId)) throw new UsageError(`Not a run id: ${JSON.stringify(runId)}. \`linea history\` lists runs.`);
  const dir = checkpointPath(io, values["checkpoint-dir"]);
  const checkpoint = await new CheckpointStore(dir).load(runId);
  const pipelinePath = checkpoint.run.pipelinePath;
  if (pipelinePath === undefined) {
    throw new UsageError(
      `Run ${JSON.stringify(runId)} was not started by the linea command (its checkpoint names no pipeline file); resume it from its script with orchestrator.resume(runId).`,
    );
  }
  const pipeline = await loadPipeline(pipelinePath, { cwd: io.cwd, env: envChoice(values.env, io.env) });
  // A module pipeline's own bus keeps its hooks; the CLI adds its progress display to it.
  const bus = pipeline.options.eventBus ?? new EventBus();
  const orchestrator = new Orchestrator(pipelineOptions(pipeline, { historyDb: historyFlag(values), checkpointDir: dir, params: values.param }, io, bus));
  try {
    return await runWithDisplay(io, bus, { json: values.json, quiet: values.quiet, lineageOut: values["lineage-out"] }, (signal) =>
      orchestrator.resume(runId, { signal, pipelinePath }),
    );
  } finally {
    await orchestrator.close();
  }
}
