import type { EngineVersions } from "../cache/cache-key.js";
import type { Engines } from "../engines/engines.js";
import { LINEA_VERSION } from "../util/version.js";

/** The versions of linea and of each engine that computes results (the relevant ones are part of every cache key). */
export function engineVersions(engines: Engines): EngineVersions {
  return { ...engines.versions(), linea: LINEA_VERSION };
}
