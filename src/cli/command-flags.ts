import type { ParseArgsConfig } from "node:util";
import type { CommandName } from "./command-help.js";
import { PARAM_FLAGS } from "./param-flags.js";
import { SELECTION_FLAGS } from "./selection-flags.js";

/** `--allow-path DIR` (repeatable): widens the sandbox. */
const ALLOW_PATH = { "allow-path": { type: "string", multiple: true } } as const;

/** `--queue`, `--queue-name`, `--store`: a distributed run. */
const QUEUE_FLAGS = { queue: { type: "string" }, "queue-name": { type: "string" }, store: { type: "string" } } as const;

/** Options of the runs that `run` and `resume` start. */
const RUN_OPTION_FLAGS = {
  "continue-on-error": { type: "boolean" },
  "max-retries": { type: "string" },
  "max-workers": { type: "string" },
  "no-cache": { type: "boolean" },
  "lineage-out": { type: "string" },
} as const;

/**
 * The flags each command accepts besides the common ones (`COMMON_FLAGS`): what its parser is given, and
 * what its `--help` must list (a test holds the two equal).
 */
export const COMMAND_FLAGS = {
  plan: { mermaid: { type: "boolean" }, ...ALLOW_PATH, ...SELECTION_FLAGS, ...PARAM_FLAGS },
  run: { ...RUN_OPTION_FLAGS, persist: { type: "string" }, "persist-small-cells": { type: "string" }, "persist-recompute-factor": { type: "string" }, "dry-run": { type: "boolean" }, ...QUEUE_FLAGS, ...SELECTION_FLAGS, ...PARAM_FLAGS, ...ALLOW_PATH },
  resume: { ...RUN_OPTION_FLAGS, ...QUEUE_FLAGS, ...ALLOW_PATH, ...PARAM_FLAGS },
  history: { pipeline: { type: "string" }, limit: { type: "string" } },
  lineage: {
    format: { type: "string" }, out: { type: "string" }, attempt: { type: "string" },
    column: { type: "string" }, impact: { type: "boolean" }, json: { type: "boolean" },
  },
  worker: { ...QUEUE_FLAGS, concurrency: { type: "string" }, "lease-ms": { type: "string" }, "local-cache-max-bytes": { type: "string" } },
  diff: { all: { type: "boolean" } },
} as const satisfies Record<CommandName, NonNullable<ParseArgsConfig["options"]>>;
