import { resolve } from "node:path";
import { EventBus } from "../../events/event-bus.js";
import { Orchestrator } from "../../orchestrator/orchestrator.js";
import { planToMermaid } from "../../plan/plan-to-mermaid.js";
import { loadPipeline } from "../../pipeline-file/load-pipeline.js";
import { neutralizeJson } from "../../util/terminal-text.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { formatPlan } from "../format-plan.js";
import { COMMAND_FLAGS } from "../command-flags.js";
import { parseCommand, positionals } from "../parse-command.js";
import { pipelineOptions } from "../pipeline-options.js";
import { selectionOf } from "../selection-flags.js";
import { envChoice } from "../param-flags.js";

/**
 * `linea plan <pipeline> [--json] [--mermaid] [--select EXPR] [--exclude EXPR] [--allow-path DIR]...`: the
 * execution plan, checked as a run would check it (paths inside the sandbox, each sql body one SELECT);
 * nothing runs.
 */
export async function planCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("plan", args, COMMAND_FLAGS.plan);
  const [path] = positionals("plan", given, ["pipeline"]);
  const pipeline = await loadPipeline(resolve(io.cwd, path as string), { cwd: io.cwd, env: envChoice(values.env, io.env) });
  const orchestrator = new Orchestrator(pipelineOptions(pipeline, { params: values.param, allowPaths: values["allow-path"] }, io, new EventBus()));
  let plan;
  try {
    plan = await orchestrator.validate(selectionOf(values));
  } finally {
    await orchestrator.close();
  }
  if (values.json) io.out(neutralizeJson(JSON.stringify(plan, null, 2)));
  else io.out(values.mermaid ? planToMermaid(plan) : formatPlan(plan));
  return EXIT.success;
}
