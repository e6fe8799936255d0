import { LineaError } from "../errors/linea-error.js";

/**
 * A `select`/`exclude` expression cannot be applied: an unknown step, tag or layer (with "did you mean"), a
 * malformed term, a selection of nothing, or selected steps whose inputs come from unselected steps that
 * have no stored result to reuse (`missingProducers` names the steps to add).
 */
export class SelectionError extends LineaError {
  /** The expression at fault, as given. */
  readonly expression: string;
  /** For a selection that cannot run: the unselected steps whose outputs are needed and not stored. */
  readonly missingProducers: readonly string[];

  constructor(expression: string, message: string, missingProducers: readonly string[] = []) {
    super("SELECTION", message);
    this.expression = expression;
    this.missingProducers = missingProducers;
  }
}
