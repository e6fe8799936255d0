// The node results live in the shared run model; this module keeps the names where they were.
export { NODE_STATUSES, SKIP_KINDS, STATUS_REASONS, ATTEMPT_OUTCOMES, skippedResult } from "../model/run-model.js";
export type { NodeStatus, SkipKind, StatusReason, AttemptOutcome, AttemptRecord, NodeResult } from "../model/run-model.js";
