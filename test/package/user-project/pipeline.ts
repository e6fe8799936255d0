// A pipeline module for the linea command: npx linea plan pipeline.ts, npx linea run pipeline.ts
import type { Step } from "linea";

export const name = "first_pipeline";

export const steps: Step[] = [
  { name: "numbers", outputs: ["numbers"], sql: "SELECT range AS n FROM range(1, 6)" },
  { name: "total", inputs: ["numbers"], outputs: ["total"], sql: "SELECT sum(n) AS total FROM numbers" },
];
