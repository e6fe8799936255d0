import { createHash } from "node:crypto";

/** The largest time a UUIDv7 holds: 48 bits of Unix milliseconds. */
const MAX_UNIX_MS = 2 ** 48 - 1;

/**
 * A deterministic UUID in the UUIDv7 layout: the first 48 bits are `timeMs` (Unix milliseconds, so ids
 * sort by time as v7 ids do), then the version nibble 7, the variant bits `10`, and the remaining 74 bits
 * from the sha256 of `seed`. The same seed and time always give the same id, so exporting a run twice
 * gives the same run ids.
 *
 * @example
 * openLineageUuid("run-20261121T221600Z-3f9a1c2b/enrich", Date.parse("2026-11-21T22:16:00.120Z"));
 * // "019aa8b7-..." (version 7, RFC 4122 variant)
 */
export function openLineageUuid(seed: string, timeMs: number): string {
  const time = Math.min(Math.max(Math.trunc(Number.isFinite(timeMs) ? timeMs : 0), 0), MAX_UNIX_MS);
  const bytes = createHash("sha256").update(seed, "utf8").digest().subarray(0, 16);
  bytes.writeUIntBE(time, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
