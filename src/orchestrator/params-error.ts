import { LineaError } from "../errors/linea-error.js";

/** A param given to a run (`params`, `stepParams`, `--param`) is malformed or names a step that does not exist. */
export class ParamsError extends LineaError {
  /** The param as given (`enrich.min_qty=3`, or the option's key). */
  readonly param: string;

  constructor(param: string, message: string) {
    super("PARAMS", message);
    this.param = param;
  }
}
