import { arrowForm } from "../data/forms/arrow-form.js";
import { packageVersion } from "../util/package-version.js";
import type { Engine } from "./engine.js";

let version: string | undefined;

/** Apache Arrow Tables for `run` steps: no session, nothing to open. */
export const arrow: Engine = {
  name: "arrow",
  form: arrowForm,
  bodies: {},
  version: () => (version ??= packageVersion("apache-arrow")),
};
