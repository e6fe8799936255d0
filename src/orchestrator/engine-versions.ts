import type { EngineVersions } from "../cache/cache-key.js";
import { packageVersion } from "../util/package-version.js";
import { LINEA_VERSION } from "../util/version.js";

let versions: EngineVersions | undefined;

/** The versions of linea and the libraries that compute results (part of every cache key). */
export function engineVersions(): EngineVersions {
  versions ??= {
    linea: LINEA_VERSION,
    duckdb: packageVersion("@duckdb/node-api"),
    danfo: packageVersion("danfojs-node"),
    arrow: packageVersion("apache-arrow"),
  };
  return versions;
}
