import { InvalidOptionsError } from "../../errors/linea-error.js";
import { LINEA_VERSION } from "../../util/version.js";

/** How linea names things in its OpenLineage events. */
export interface OpenLineageOptions {
  /** The namespace of the pipeline's and the steps' jobs. @default "linea" */
  readonly namespace?: string;
  /** The namespace of the datasets that live in the run (files use `file`). @default `linea://<pipelineName>` */
  readonly datasetNamespace?: string;
  /** The URI of the producer, on every event and facet. @default `https://github.com/linea/linea/tree/v<version>` */
  readonly producer?: string;
}

/** {@link OpenLineageOptions} with every default filled in. */
export interface ResolvedOpenLineageOptions {
  readonly namespace: string;
  readonly datasetNamespace: string;
  readonly producer: string;
}

/** The producer URI of this version of linea. */
export const DEFAULT_OPENLINEAGE_PRODUCER = `https://github.com/linea/linea/tree/v${LINEA_VERSION}`;

function isAbsoluteUri(text: string): boolean {
  try {
    return new URL(text).protocol.length > 1;
  } catch {
    return false;
  }
}

function nonEmpty(option: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value.trim() === "") {
    throw new InvalidOptionsError(option, `Expected \`${option}\` to be a non-empty string, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Fills in the defaults for a pipeline and checks the options: a bad `producer` throws {@link InvalidOptionsError}. */
export function resolveOpenLineageOptions(pipelineName: string, options: OpenLineageOptions = {}): ResolvedOpenLineageOptions {
  const producer = nonEmpty("producer", options.producer, DEFAULT_OPENLINEAGE_PRODUCER);
  if (!isAbsoluteUri(producer)) {
    throw new InvalidOptionsError("producer", `Expected \`producer\` to be an absolute URI such as https://example.com/my-tool, got ${JSON.stringify(producer)}.`);
  }
  return {
    namespace: nonEmpty("namespace", options.namespace, "linea"),
    datasetNamespace: nonEmpty("datasetNamespace", options.datasetNamespace, `linea://${pipelineName}`),
    producer,
  };
}
