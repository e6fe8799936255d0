import { LINEA_ERROR_CODES, LineaError, type LineaErrorCode } from "../errors/linea-error.js";

/** The job queue (Redis) could not be reached or used. `queue` is its address with any password masked. */
export class QueueError extends LineaError {
  readonly queue: string;

  constructor(queue: string, message: string, options?: { cause?: unknown }) {
    super("QUEUE", message, options);
    this.queue = queue;
  }
}

/** A remote step failed, was refused by a worker, or its worker could not be reached. */
export class RemoteStepError extends LineaError {
  readonly stepName: string;
  /** The error's name on the worker (the original class is not sent). */
  readonly remoteName: string | undefined;

  /** `code`: the error's code on the worker (STEP_FAILED, CHECK_FAILED, ...), kept so history reads alike. */
  constructor(stepName: string, message: string, remoteName?: string, code?: string) {
    super(code !== undefined && (LINEA_ERROR_CODES as readonly string[]).includes(code) ? (code as LineaErrorCode) : "REMOTE_STEP", message);
    this.stepName = stepName;
    this.remoteName = remoteName;
  }
}
