import { LineaError } from "../errors/linea-error.js";

/** The command line is not one linea understands. */
export class UsageError extends LineaError {
  constructor(message: string) {
    super("INVALID_OPTIONS", message);
  }
}

export const USAGE = `Usage: linea <command> [options]    (linea <command> --help for one command's options)

Commands:
  plan <pipeline>                 show the execution plan; nothing runs
  run <pipeline>                  run the pipeline
  resume <run-id>                 run again what did not succeed in a run
  history [run-id]                list runs, or show one
  lineage <run-id>                export a run's lineage
  worker <pipeline>               run steps of distributed runs (--queue redis://... --store ...)
  diff <run-a> <run-b>            compare two runs step by step (--all: every step)

<pipeline> is a .ts/.mts/.js module exporting \`steps\` (and optionally \`name\`), or a .json/.yaml pipeline file.

Options:
  run:      --continue-on-error  --max-retries N  --max-workers N  --no-cache  --persist auto|all  --persist-small-cells N  --persist-recompute-factor X  --dry-run  --lineage-out DIR
  resume:   --continue-on-error  --max-retries N  --max-workers N  --no-cache  --lineage-out DIR
  run, resume: --queue redis://HOST:PORT  --store PATH|file://...|s3://bucket/prefix  --queue-name NAME
  worker:   --queue redis://HOST:PORT  --store ...  --queue-name NAME  --concurrency N  --lease-ms N  --local-cache-max-bytes N
  run, plan: --select EXPR  --exclude EXPR   (name, name+, +name, +name+, @name, tag:x, layer:x, a*; "," for a union)
  run, plan, resume: --param KEY=VALUE (repeatable; STEP.KEY=VALUE for one step; JSON when it parses)  --env NAME (or LINEA_ENV)
  run, plan, resume:  --allow-path DIR (repeatable): a folder or file outside the pipeline's baseDir it may read and write
  plan:     --mermaid
  history:  --pipeline NAME  --limit N
  lineage:  --format json|openlineage|html  --out PATH|URL  --attempt N
  all:      --json  --quiet  --history PATH|postgres://...  --checkpoint-dir PATH
  linea --version prints linea's version; linea <command> --help, one command's help.

Exit codes: 0 success, 1 pipeline failed, 2 bad usage or invalid pipeline, 130 interrupted.`;
