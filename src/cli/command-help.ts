/** The commands `linea` knows, in the order its usage lists them. */
export const COMMAND_NAMES = ["plan", "run", "resume", "history", "lineage", "worker", "diff"] as const;

/** One of {@link COMMAND_NAMES}. */
export type CommandName = (typeof COMMAND_NAMES)[number];

const COMMON = `Options every command takes:
  --json                 print JSON instead of text
  --quiet                no progress lines
  --history PATH|URL     the run history: a DuckDB file (default .linea/history.duckdb) or a
                         postgres:// URL (--history-db is its older name)
  --checkpoint-dir PATH  where checkpoints live (default .linea/checkpoints)
  -h, --help             this help`;

const WORKFLOW = `  --select EXPR          only these steps: name, name+, +name, +name+, N+name, @name, tag:x, layer:x,
                         wildcards (*, ?); "," or spaces for a union
  --exclude EXPR         leave these steps out (same syntax)
  --param KEY=VALUE      a param of every step (repeatable; STEP.KEY=VALUE for one step); JSON when it parses
  --env NAME             the pipeline file's environment (default: LINEA_ENV)`;

const ALLOW_PATH = `  --allow-path DIR       also read and write under DIR (repeatable): widens the sandbox, which otherwise
                         confines file access to the pipeline's baseDir and linea's own folders`;

/** `linea <command> --help`: what the command does, its arguments and its options. */
export const COMMAND_HELP: Readonly<Record<CommandName, string>> = {
  plan: `Usage: linea plan <pipeline> [--mermaid] [--select EXPR] [--exclude EXPR] [--param K=V]... [--env NAME] [--json]

Shows the execution plan of a pipeline: its steps in layers, what would be reused from the cache. Nothing runs.
<pipeline> is a .ts/.mts/.js module exporting \`steps\` (and optionally \`name\`), or a .json/.yaml pipeline file.

Options:
  --mermaid              the plan as a Mermaid flowchart
${WORKFLOW}
${ALLOW_PATH}`,
  run: `Usage: linea run <pipeline> [options]

Runs a pipeline, reusing cached steps whose inputs did not change, and records the run in the history.
<pipeline> is a .ts/.mts/.js module exporting \`steps\` (and optionally \`name\`), or a .json/.yaml pipeline file.

Options:
  --continue-on-error    run the steps that do not depend on a failed one
  --max-retries N        retries of a failing step (default 0)
  --max-workers N        steps run at once (default 4)
  --no-cache             run every step, reuse nothing
  --persist auto|all     outputs the cache keeps: auto (default) skips large ones quicker to compute than to store
  --persist-small-cells N  under --persist auto, outputs of at most N cells are always kept (default 1000000)
  --persist-recompute-factor X  under --persist auto, a large output is kept when its step took more than
                         X times as long as storing it would (default 2; 1 keeps more)
  --dry-run              say what would run and be reused, and why; nothing runs
  --lineage-out DIR      write the run's lineage JSON into DIR
  --queue redis://H:P    run steps on the worker pool of that Redis (start workers with linea worker)
  --store PATH|URL       the object store shared with the workers: a folder, file:///path or s3://bucket/prefix
  --queue-name NAME      the queue's name, the same as the workers' (default linea.<pipeline name>)
${WORKFLOW}
${ALLOW_PATH}`,
  resume: `Usage: linea resume <run-id> [--no-cache] [--continue-on-error] [--max-retries N] [--max-workers N] [--lineage-out DIR] [--queue ... --store ...] [--param K=V]... [--env NAME] [--allow-path DIR]...

Runs again what did not succeed in a run (its failed, skipped and interrupted steps), from its checkpoint,
under the options that run had (a run started with --no-cache resumes without the cache); a flag given
here changes that option. A run that already succeeded has nothing to resume: it says so and runs nothing.

Options:
  --no-cache             reuse nothing from the cache (checkpointed steps are still restored)
  --continue-on-error    run the steps that do not depend on a failed one
  --max-retries N        retries of a failing step
  --max-workers N        steps run at once
  --lineage-out DIR      write the run's lineage JSON into DIR
  --queue, --store, --queue-name  as for run: finishes a distributed run on the worker pool, adopting its finished jobs
  --param K=V, --env NAME  as for run (give them again: a step whose params changed runs again)
  --allow-path DIR       as for run (give it again)`,
  history: `Usage: linea history [run-id] [--pipeline NAME] [--limit N]

Lists the recorded runs, newest first, or shows one run's attempts and steps.

Options:
  --pipeline NAME        only runs of this pipeline
  --limit N              at most N runs (default 20)`,
  lineage: `Usage: linea lineage <run-id> [--format json|openlineage|html] [--out PATH|URL] [--attempt N]
       linea lineage <run-id> --column <dataset>.<column> [--impact] [--json]

Exports a recorded run's lineage (its latest attempt unless --attempt): linea's lineage JSON, OpenLineage
events (written to a file, or POSTed when --out is a URL), or a self-contained HTML report.

Options:
  --format F             json (default), openlineage or html
  --out PATH|URL         where to write it (default stdout)
  --attempt N            that attempt of the run
  --column D.C           the column's ancestry, hop by hop down to source files' columns (D: a dataset or file path)
  --impact               with --column: every column that depends on it instead
  --json                 with --column: the tree as JSON`,
  worker: `Usage: linea worker <pipeline> --queue redis://HOST:PORT --store PATH|URL [--concurrency N] [--lease-ms N] [--local-cache-max-bytes N]

Runs the steps of distributed runs of <pipeline> (the same pipeline file as the coordinator's), taking them
from the BullMQ queue in Redis; inputs and outputs go through the shared object store. Stops on Ctrl-C
once its running steps finish (a second Ctrl-C stops them).

Options:
  --queue redis://H:P    the Redis the coordinator uses
  --store PATH|URL       the object store shared with the coordinator: a folder, file:///path or s3://bucket/prefix
  --queue-name NAME      the queue's name, the same as the coordinator's (default linea.<pipeline name>)
  --concurrency N        steps run at once, each on its own thread (default 1)
  --lease-ms N           how long a job stays locked to a worker that stopped answering (default 30000)
  --local-cache-max-bytes N  the size its checked local copies of stored objects (.linea/worker-cache) are
                         trimmed to, least recently used first (default 5 GiB)`,
  diff: `Usage: linea diff <run-a> <run-b> [--all] [--json]

Compares two recorded runs (their latest attempts) step by step: status, rows, duration, output schema
changes (added, removed, retyped columns), data checks whose outcome changed, and whether each step's cache
key changed and why (code, params, inputs, versions).

Options:
  --all                  every step, not only those that differ`,
};

/** The whole help of one command, with the options every command takes. */
export function commandHelp(command: CommandName): string {
  return `${COMMAND_HELP[command]}\n\n${COMMON}`;
}
