/**
 * A Slack message could not be delivered. The message never contains the webhook URL (it is a secret):
 * `Slack webhook returned 500 after 3 attempts`.
 */
export class SlackWebhookError extends Error {
  readonly code = "SLACK_WEBHOOK" as const;
  /** The last HTTP status, when Slack answered. */
  readonly status: number | undefined;
  readonly attempts: number;

  constructor(message: string, fields: { status: number | undefined; attempts: number }) {
    super(message);
    this.name = "SlackWebhookError";
    this.status = fields.status;
    this.attempts = fields.attempts;
  }
}
