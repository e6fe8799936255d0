/** The CLI's exit codes. */
export const EXIT = {
  /** The command did what was asked (for `run` and `resume`: the pipeline succeeded). */
  success: 0,
  /** The pipeline ran and failed. */
  failed: 1,
  /** Bad usage, an invalid pipeline (file, steps or plan), or an unknown run id. */
  usage: 2,
  /** The run was interrupted (Ctrl-C or SIGTERM); `linea resume <run-id>` finishes it. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
