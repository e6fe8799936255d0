import { readFileSync } from "node:fs";

/** linea's version, from its package.json. */
export const LINEA_VERSION: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
