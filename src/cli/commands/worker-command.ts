import { startStepWorker } from "../../distributed/step-worker.js";
import type { CliIo } from "../cli-io.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { COMMAND_FLAGS } from "../command-flags.js";
import { parseCommand, positionals, wholeNumber } from "../parse-command.js";
import { UsageError } from "../usage-error.js";

/**
 * `linea worker <pipeline> --queue redis://HOST:PORT --store PATH|URL [--concurrency N] [--lease-ms N] [--local-cache-max-bytes N]`:
 * takes the pipeline's steps from the queue until Ctrl-C (or SIGTERM), then lets running steps finish; a
 * second signal stops them.
 */
export async function workerCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: given } = parseCommand("worker", args, COMMAND_FLAGS.worker);
  const [pipelinePath] = positionals("worker", given, ["pipeline"]) as [string];
  if (values.queue === undefined) throw new UsageError("linea worker needs --queue redis://HOST:PORT: the Redis the coordinator uses");
  if (values.store === undefined) throw new UsageError("linea worker needs --store PATH|file://...|s3://bucket/prefix: the object store the coordinator uses");
  const worker = await startStepWorker({
    pipelinePath, queue: values.queue, store: values.store, cwd: io.cwd, queueName: values["queue-name"],
    concurrency: wholeNumber("concurrency", values.concurrency, 1) ?? 1,
    leaseMs: wholeNumber("lease-ms", values["lease-ms"], 100) ?? 30_000,
    localCacheMaxBytes: wholeNumber("local-cache-max-bytes", values["local-cache-max-bytes"], 1),
    log: (line) => { if (!values.quiet) io.err(`linea worker: ${line}\n`); },
  });
  let stops = 0;
  await new Promise<void>((resolve) => {
    const stop = io.onInterrupt((signal) => {
      stops++;
      io.err(`linea worker: ${signal}: ${stops === 1 ? "finishing running steps (again to stop them)" : "stopping running steps"}\n`);
      void worker.close(stops > 1).then(() => {
        stop();
        resolve();
      });
    });
  });
  return EXIT.success;
}
