import { rowsForm } from "../data/forms/rows-form.js";
import type { Engine } from "./engine.js";

/** Plain rows (an array of objects) for `run` steps: no library, so nothing in cache keys and nothing to open. */
export const rows: Engine = {
  name: "rows",
  form: rowsForm,
  bodies: {},
  version: () => undefined,
};
