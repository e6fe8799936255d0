// Check results live in the shared run model; this module keeps the names where they were.
export { CHECK_STATUSES } from "../model/run-model.js";
export type { CheckResult, CheckStatus } from "../model/run-model.js";
