/**
 * A duration as linea prints it (`formatDuration`): `840 ms`, `1.2 s`, `2 min 05 s`. Tests match any of
 * them: how long a step takes depends on the machine, and a busy one turns `840 ms` into `1.2 s`.
 */
export const DURATION = String.raw`(?:\d+ ms|\d+\.\d s|\d+ min \d{2} s)`;

/** A whole string that is one duration. */
export const DURATION_ONLY = new RegExp(`^${DURATION}$`);
