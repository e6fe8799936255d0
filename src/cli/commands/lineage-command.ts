import { resolve } from "node:path";
import { openRunHistory } from "../../history/open-run-history.js";
import { renderHtmlReport } from "../../track/html/render-html-report.js";
import { lineageView } from "../../track/lineage-view.js";
import { buildOpenLineageEvents } from "../../track/openlineage/build-openlineage-events.js";
import { exportOpenLineage } from "../../track/openlineage/export-openlineage.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import { isSafeId } from "../../util/ids.js";
import { redactUrl } from "../../history/postgres/postgres-url.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { parseCommand, positionals, wholeNumber } from "../parse-command.js";
import { historyFlag, historyPath } from "../pipeline-options.js";
import { UsageError } from "../usage-error.js";

const FORMATS = ["json", "openlineage", "html"] as const;
type Format = (typeof FORMATS)[number];

/**
 * `linea lineage <run-id> [--format json|openlineage|html] [--out PATH|URL] [--attempt N]`: a recorded run's
 * lineage, from the history (its latest attempt unless `--attempt`). Without `--out` it goes to stdout;
 * OpenLineage events go to a URL (Marquez-style `POST /api/v1/lineage`) when `--out` is one.
 */
export async function lineageCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("lineage", args, { format: { type: "string" }, out: { type: "string" }, attempt: { type: "string" } });
  const [runId] = positionals("lineage", given, ["run-id"]) as [string];
  const format = (values.format ?? "json") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format takes one of ${FORMATS.join(", ")}, got ${JSON.stringify(values.format)}`);
  if (!isSafeId(runId)) throw new UsageError(`Not a run id: ${JSON.stringify(runId)}. \`linea history\` lists runs.`);
  const path = historyPath(io, historyFlag(values));
  const detail = await openRunHistory(path).run(runId);
  if (detail === undefined) throw new UsageError(`No run ${JSON.stringify(runId)} in ${redactUrl(path)}. \`linea history\` lists runs.`);
  const wanted = wholeNumber("attempt", values.attempt, 1);
  const attempt = wanted === undefined ? detail.attempts.at(-1) : detail.attempts.find((a) => a.summary.attempt === wanted);
  const document = attempt?.lineage;
  if (document === undefined) {
    throw new UsageError(`Run ${JSON.stringify(runId)}${wanted ? ` attempt ${wanted}` : ""} has no lineage in the history (it did not finish, or was recorded without it).`);
  }
  const out = values.out;
  if (format === "openlineage" && out !== undefined && /^https?:\/\//.test(out)) {
    const summary = await exportOpenLineage(lineageView(document), { url: out });
    io.err(`sent ${summary.events} OpenLineage events to ${out}\n`);
    return EXIT.success;
  }
  const text = format === "json"
    ? `${JSON.stringify(document, null, 2)}\n`
    : format === "html"
      ? await renderHtmlReport(lineageView(document))
      : buildOpenLineageEvents(lineageView(document)).map((e) => JSON.stringify(e)).join("\n") + "\n";
  if (out === undefined) io.out(text);
  else {
    await writeFileAtomic(resolve(io.cwd, out), text);
    if (!values.quiet) io.err(`wrote ${resolve(io.cwd, out)}\n`);
  }
  return EXIT.success;
}
