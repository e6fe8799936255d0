import { nearNames } from "../util/near-names.js";
import { isPlainObject } from "../util/plain-object.js";
import { q } from "../util/quote.js";
import { PipelineFileError } from "./pipeline-file-error.js";

/** An overlay of a pipeline's options and params, chosen by name. */
export interface PipelineEnvironment {
  readonly description?: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** Which environment to load, and where the name came from (an ambient LINEA_ENV is ignored by files without environments). */
export interface EnvironmentChoice {
  readonly name: string;
  readonly from: "option" | "LINEA_ENV";
}

/**
 * The environment a pipeline is loaded in, or undefined for none.
 * @throws PipelineFileError for a name the pipeline does not define (listing those it does, with "did you mean").
 */
export function chooseEnvironment(file: string, environments: unknown, choice: EnvironmentChoice | undefined): PipelineEnvironment | undefined {
  if (choice === undefined) return undefined;
  const defined = isPlainObject(environments) ? Object.keys(environments).sort() : [];
  if (defined.length === 0 && choice.from === "LINEA_ENV") return undefined;
  const found = isPlainObject(environments) ? environments[choice.name] : undefined;
  if (isPlainObject(found)) return found as PipelineEnvironment;
  const [near] = nearNames(choice.name, defined);
  const how = choice.from === "LINEA_ENV" ? "LINEA_ENV" : "--env";
  const known = defined.length > 0 ? `the pipeline defines ${defined.map(q).join(", ")}` : "the pipeline defines no environments";
  throw new PipelineFileError(file, [{
    place: "environments",
    message: `unknown environment ${q(choice.name)} (from ${how})${near ? ` (did you mean ${q(near)}?)` : ""}: ${known}. Choose one of them, or add it under \`environments:\``,
  }]);
}
