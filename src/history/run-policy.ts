// The run policy is part of the shared run model (a checkpoint keeps it too); history reads it from there.
export * from "../model/run-policy.js";
