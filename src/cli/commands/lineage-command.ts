import { resolve } from "node:path";
import { LINEA_DIR } from "../../util/default-paths.js";
import { historyStoreOf } from "../../orchestrator/create-run-services.js";
import { renderHtmlReport } from "../../track/html/render-html-report.js";
import { lineageView } from "../../track/lineage-view.js";
import { buildOpenLineageEvents } from "../../track/openlineage/build-openlineage-events.js";
import { exportOpenLineage } from "../../track/openlineage/export-openlineage.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import { isSafeId } from "../../util/ids.js";
import { redactUrl } from "../../history/postgres/postgres-url.js";
import { maskUrl } from "../../util/mask-url.js";
import { neutralizeJson, neutralizeTerminal } from "../../util/terminal-text.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { COMMAND_FLAGS } from "../command-flags.js";
import { parseCommand, positionals, wholeNumber } from "../parse-command.js";
import { historyFlag, historyPath } from "../pipeline-options.js";
import { UsageError } from "../usage-error.js";
import { columnImpactTree, columnLineageTree, UnknownColumnError } from "../../lineage/column-tree.js";
import { formatColumnTree } from "../../lineage/format-column-tree.js";
import type { LineageDocument } from "../../track/lineage.generated.js";

const FORMATS = ["json", "openlineage", "html"] as const;
type Format = (typeof FORMATS)[number];

/** `<dataset>.<column>` split where the dataset is one of the run's (names and paths may hold dots). */
function splitColumn(document: LineageDocument, text: string): { dataset: string; column: string } {
  const known = new Set([...document.datasets.map((d) => d.name), ...document.steps.flatMap((s) => Object.keys(s.column_lineage ?? {}))]);
  for (let at = text.lastIndexOf("."); at > 0; at = text.lastIndexOf(".", at - 1)) {
    if (known.has(text.slice(0, at))) return { dataset: text.slice(0, at), column: text.slice(at + 1) };
  }
  const at = text.lastIndexOf(".");
  if (at <= 0 || at === text.length - 1) throw new UsageError(`--column takes <dataset>.<column>, got ${JSON.stringify(text)}`);
  return { dataset: text.slice(0, at), column: text.slice(at + 1) };
}

/** `--column`: the column's ancestry (or with `--impact` its dependents) as a tree, or JSON with `--json`. */
function columnCommand(document: LineageDocument, text: string, impact: boolean, json: boolean, io: CliIo): ExitCode {
  const { dataset, column } = splitColumn(document, text);
  let tree;
  try {
    tree = impact ? columnImpactTree(document.steps, dataset, column) : columnLineageTree(document.steps, dataset, column);
  } catch (error) {
    if (error instanceof UnknownColumnError) throw new UsageError(error.message);
    throw error;
  }
  io.out(json ? `${JSON.stringify(tree, null, 2)}\n` : formatColumnTree(tree));
  return EXIT.success;
}

/**
 * `linea lineage <run-id> --column <dataset>.<column> [--impact] [--json]`: a column's ancestry down to
 * source files (or, with `--impact`, every column depending on it).
 *
 * `linea lineage <run-id> [--format json|openlineage|html] [--out PATH|URL] [--attempt N]`: a recorded run's
 * lineage, from the history (its latest attempt unless `--attempt`). Without `--out` it goes to stdout;
 * OpenLineage events go to a URL (Marquez-style `POST /api/v1/lineage`) when `--out` is one.
 */
export async function lineageCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("lineage", args, COMMAND_FLAGS.lineage);
  const [runId] = positionals("lineage", given, ["run-id"]) as [string];
  const format = (values.format ?? "json") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format takes one of ${FORMATS.join(", ")}, got ${JSON.stringify(values.format)}`);
  if (!isSafeId(runId)) throw new UsageError(`Not a run id: ${JSON.stringify(runId)}. \`linea history\` lists runs.`);
  const path = historyPath(io, historyFlag(values));
  const detail = await historyStoreOf(path, io.cwd).run(runId);
  if (detail === undefined) throw new UsageError(`No run ${JSON.stringify(runId)} in ${redactUrl(path)}. \`linea history\` lists runs.`);
  const wanted = wholeNumber("attempt", values.attempt, 1);
  const attempt = wanted === undefined ? detail.attempts.at(-1) : detail.attempts.find((a) => a.summary.attempt === wanted);
  const document = attempt?.lineage;
  if (document === undefined) {
    throw new UsageError(`Run ${JSON.stringify(runId)}${wanted ? ` attempt ${wanted}` : ""} has no lineage in the history (it did not finish, or was recorded without it).`);
  }
  if (values.column !== undefined) return columnCommand(document, values.column, values.impact === true, values.json === true, io);
  if (values.impact === true || values.json === true) throw new UsageError("--impact and --json go with --column <dataset>.<column>");
  const out = values.out;
  if (format === "openlineage" && out !== undefined && /^https?:\/\//.test(out)) {
    const summary = await exportOpenLineage(lineageView(document), { url: out });
    io.err(`sent ${summary.events} OpenLineage events to ${neutralizeTerminal(maskUrl(out))}\n`);
    return EXIT.success;
  }
  const text = format === "json"
    ? `${JSON.stringify(document, null, 2)}\n`
    : format === "html"
      ? await renderHtmlReport(lineageView(document), { layoutCacheDir: resolve(io.cwd, LINEA_DIR, "layouts") })
      : buildOpenLineageEvents(lineageView(document)).map((e) => JSON.stringify(e)).join("\n") + "\n";
  if (out === undefined) io.out(format === "html" ? neutralizeTerminal(text, { multiline: true }) : neutralizeJson(text));
  else {
    await writeFileAtomic(resolve(io.cwd, out), text);
    if (!values.quiet) io.err(`wrote ${neutralizeTerminal(resolve(io.cwd, out))}\n`);
  }
  return EXIT.success;
}
