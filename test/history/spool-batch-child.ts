// Spools lines in batches (interval 100 ms), then SIGKILLs itself: `first` lines, a wait past the
// interval, `second` lines, and death before their interval is up.
import { SpoolWriter } from "../../src/history/spool-writer.js";

const [path, first, second] = process.argv.slice(2) as [string, string, string];
const writer = new SpoolWriter(path, (message) => process.stderr.write(`${message}\n`), { intervalMs: 100 });
for (let i = 1; i <= Number(first); i++) writer.append(`{"seq":${i}}`);
await new Promise((resolve) => setTimeout(resolve, 400));
await writer.flush();
for (let i = 1; i <= Number(second); i++) writer.append(`{"seq":${Number(first) + i}}`);
process.kill(process.pid, "SIGKILL");
