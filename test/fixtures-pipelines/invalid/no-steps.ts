// A pipeline module that forgot to export its steps.
import type { Step } from "../../../src/index.js";

export const name = "no_steps";

const steps: Step[] = [{ name: "read_orders", read: "fixtures/orders.csv", outputs: ["raw_orders"] }];
export const stepList = steps;
