import { LineaError } from "../errors/linea-error.js";

/** One thing wrong with a pipeline file: where it is, and what is wrong, in words. */
export interface PipelineProblem {
  /** The place in the document, like `steps[3].inputs` or `options.maxWorkers`; `""` for the file as a whole. */
  readonly place: string;
  readonly message: string;
  /** 1-based line of the place, when the file is JSON or YAML and the place can be found in it. */
  readonly line?: number;
  /** 1-based column, given for syntax errors. */
  readonly column?: number;
}

/** One problem as a line of the error message: `steps[3].inputs (line 27): must be ...`. */
export function formatProblem(problem: PipelineProblem): string {
  const { place, message, line, column } = problem;
  if (place === "") {
    if (line === undefined) return message;
    return `${column === undefined ? `line ${line}` : `line ${line}, column ${column}`}: ${message}`;
  }
  return line === undefined ? `${place}: ${message}` : `${place} (line ${line}): ${message}`;
}

/**
 * A pipeline file (a `.json`/`.yaml` document or a `.ts`/`.js` module) cannot be loaded. The message lists
 * every problem, one per line:
 *
 * ```
 * Invalid pipeline file pipelines/p.yaml:
 *   steps[3].inputs (line 27): must be an object of { localName: datasetName } or a list of dataset names
 *   steps[4] (line 31): unknown field "ouputs" (did you mean "outputs"?)
 * ```
 */
export class PipelineFileError extends LineaError {
  /** The file as the caller named it. */
  readonly file: string;
  readonly problems: readonly PipelineProblem[];

  constructor(file: string, problems: readonly PipelineProblem[], options?: { cause?: unknown }) {
    super("PIPELINE_FILE", [`Invalid pipeline file ${file}:`, ...problems.map((p) => `  ${formatProblem(p)}`)].join("\n"), options);
    this.file = file;
    this.problems = problems;
  }
}
