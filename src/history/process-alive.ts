// Moved to util/ (the temporary-file sweep needs it too); kept here for the history modules that import it.
export { isProcessAlive } from "../util/process-alive.js";
