import { resolve } from "node:path";
import { EventBus } from "../../events/event-bus.js";
import { Orchestrator } from "../../orchestrator/orchestrator.js";
import { planToMermaid } from "../../plan/plan-to-mermaid.js";
import { loadPipeline } from "../../pipeline-file/load-pipeline.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { formatPlan } from "../format-plan.js";
import { parseCommand, positionals } from "../parse-command.js";
import { pipelineOptions } from "../pipeline-options.js";
import { SELECTION_FLAGS, selectionOf } from "../selection-flags.js";
import { envChoice, PARAM_FLAGS } from "../param-flags.js";

/** `linea plan <pipeline> [--json] [--mermaid] [--select EXPR] [--exclude EXPR]`: the execution plan; nothing runs. */
export async function planCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("plan", args, { mermaid: { type: "boolean" }, ...SELECTION_FLAGS, ...PARAM_FLAGS });
  const [path] = positionals("plan", given, ["pipeline"]);
  const pipeline = await loadPipeline(resolve(io.cwd, path as string), { cwd: io.cwd, env: envChoice(values.env, io.env) });
  const plan = new Orchestrator(pipelineOptions(pipeline, { params: values.param }, io, new EventBus())).plan(selectionOf(values));
  if (values.json) io.out(JSON.stringify(plan, null, 2));
  else io.out(values.mermaid ? planToMermaid(plan) : formatPlan(plan));
  return EXIT.success;
}
