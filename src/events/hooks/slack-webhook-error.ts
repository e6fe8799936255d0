import { LineaError } from "../../errors/linea-error.js";

/**
 * A Slack message could not be delivered. The message never contains the webhook URL (it is a secret):
 * `Slack webhook returned 500 after 3 attempts`.
 */
export class SlackWebhookError extends LineaError {
  /** The last HTTP status, when Slack answered. */
  readonly status: number | undefined;
  readonly attempts: number;

  constructor(message: string, fields: { status: number | undefined; attempts: number }) {
    super("HOOK", message);
    this.status = fields.status;
    this.attempts = fields.attempts;
  }
}
