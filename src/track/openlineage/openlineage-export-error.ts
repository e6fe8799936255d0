import { LineaError } from "../../errors/linea-error.js";

/**
 * OpenLineage events could not all be delivered. Says which endpoint answered what and how many events
 * got through before; it never contains the API key (nor credentials in the URL):
 * `OpenLineage endpoint http://localhost:5000/api/v1/lineage returned 400 for event 3 of 9 (START of job "p.enrich") after 1 attempt; 2 of 9 events were sent. ...`
 */
export class OpenLineageExportError extends LineaError {
  /** The endpoint, without credentials. */
  readonly url: string;
  /** The last HTTP status, when the endpoint answered. */
  readonly status: number | undefined;
  /** Events the endpoint accepted, in order, before the failure. */
  readonly sent: number;
  /** Events there were to send. */
  readonly total: number;
  /** Requests made for the event that failed. */
  readonly attempts: number;

  constructor(message: string, fields: { url: string; status: number | undefined; sent: number; total: number; attempts: number }, options?: { cause?: unknown }) {
    super("OPENLINEAGE", message, options);
    this.url = fields.url;
    this.status = fields.status;
    this.sent = fields.sent;
    this.total = fields.total;
    this.attempts = fields.attempts;
  }
}
