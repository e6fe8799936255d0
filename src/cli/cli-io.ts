/** Where the CLI reads and writes: the process's streams, or a test's. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Results: the summary table, or JSON with `--json`. */
  out(text: string): void;
  /** Progress, warnings and errors. */
  err(text: string): void;
  /** True when stderr is a terminal (live progress); false for plain lines. */
  readonly interactive: boolean;
  /** Registers what to do on Ctrl-C (SIGINT) and SIGTERM; returns the function that removes it. */
  onInterrupt(handler: (signal: string) => void): () => void;
}

/** The process's own streams and signals. */
export function processIo(): CliIo {
  // A reader that stops early (`linea lineage <id> | head`) closes the pipe: finish quietly, as Unix tools do.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    onInterrupt: (handler) => {
      const onSigint = (): void => handler("SIGINT");
      const onSigterm = (): void => handler("SIGTERM");
      process.on("SIGINT", onSigint);
      process.on("SIGTERM", onSigterm);
      return () => {
        process.off("SIGINT", onSigint);
        process.off("SIGTERM", onSigterm);
      };
    },
  };
}
