// Which backups a prune removes. Pure, so the rules are easy to test and to show before acting.
// Rules (issue 13, case 11: restarts of `serve` after an app bug once pruned the last good manual
// backup, and every backup kept held the bad state):
// - the retention counts automatic backups (auto and safety) only; manual ones are kept until a
//   prune with `manual` (then the retention applies to them too, counted apart);
// - never removed: the newest verified backup, a safety backup younger than a day, and the newest
//   verified backup that predates the oldest kept one (a good state before whatever the kept ones hold);
// - protected backups count towards the retention (when they alone exceed it, they are all kept);
// - files opsdeck did not name are never touched.
import type {BackupEntry} from './files.js';

export type PrunePlan = {
	readonly keep: readonly BackupEntry[];
	readonly remove: readonly BackupEntry[];
	/** why each kept backup beyond the newest `retention` is kept */
	readonly protected: readonly string[];
};

const dayMs = 86_400_000;

function newestFirst(a: BackupEntry, b: BackupEntry): number {
	return b.createdAt - a.createdAt || b.name.localeCompare(a.name);
}

/** the protected ones of `group`, then the newest others, up to `retention` */
function keepNewest(group: readonly BackupEntry[], retention: number, protectedNames: ReadonlySet<string>, keep: Set<string>): void {
	let kept = 0;
	for (const e of group) {
		if (protectedNames.has(e.name)) {
			keep.add(e.name);
			kept++;
		}
	}
	for (const e of group) {
		if (kept >= retention) break;
		if (keep.has(e.name)) continue;
		keep.add(e.name);
		kept++;
	}
}

export function planPrune(entries: readonly BackupEntry[], retention: number, now = Date.now(), options: {readonly manual?: boolean} = {}): PrunePlan {
	const ours = [...entries].filter(e => e.kind !== 'other').sort(newestFirst);
	const protectedNames = new Set<string>();
	const newestVerified = ours.find(e => e.verified?.ok === true);
	if (newestVerified) protectedNames.add(newestVerified.name);
	for (const e of ours) if (e.kind === 'safety' && now - e.createdAt < dayMs) protectedNames.add(e.name);
	const keep = new Set<string>();
	keepNewest(ours.filter(e => e.kind !== 'manual'), retention, protectedNames, keep);
	const manual = ours.filter(e => e.kind === 'manual');
	if (options.manual) keepNewest(manual, retention, protectedNames, keep);
	else for (const e of manual) keep.add(e.name);
	const kept = ours.filter(e => keep.has(e.name));
	const oldestKept = kept.at(-1);
	if (oldestKept) {
		const goodBefore = ours.find(e => e.verified?.ok === true && e.createdAt < oldestKept.createdAt);
		if (goodBefore && !keep.has(goodBefore.name)) {
			protectedNames.add(goodBefore.name);
			keep.add(goodBefore.name);
		}
	}
	return {
		keep: ours.filter(e => keep.has(e.name)),
		remove: ours.filter(e => !keep.has(e.name)),
		protected: [...protectedNames],
	};
}
