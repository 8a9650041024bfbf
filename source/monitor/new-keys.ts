// Which watched keys are new: one rule for `opsdeck monitor --plain` and the Monitor tab. A key is
// new when it appeared after the baseline (not on the first tick, not the keys a watch just added
// brought in) — counters.ts records the tick it appeared in. --plain writes `new` on that one tick's
// line; the console keeps the mark on the row for a few seconds, so a 250 ms tick does not flash it
// away before anyone could read it.

/** The word both write beside a new key. */
export const newKeyMark = 'new';

/** How long the console keeps a key marked new. */
export const newKeyHoldMs = 10_000;

/**
 * Whether the key is marked new at the tick `at`: it appeared less than `holdMs` ago (0, as
 * --plain prints: only in the tick it appeared in).
 */
export function isNewKey(key: {readonly newSince: number | undefined}, at: number, holdMs = 0): boolean {
	return key.newSince !== undefined && at - key.newSince <= holdMs;
}
