// A setup file (vitest.config.ts): runs before every test file, so the hooks it registers apply to every file,
// even though files share their helper modules (see cleanup.ts).
import { afterAll, afterEach } from "vitest";
import { runAfterEachFile, runAfterEachTest } from "./cleanup.js";

afterEach(runAfterEachTest);
afterAll(runAfterEachFile);
