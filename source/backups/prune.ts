// Which backups a prune removes. Pure, so the rules are easy to test and to show before acting.
// Rules (issue 13, case 11: restarts of `serve` after an app bug once pruned the last good manual
// backup, and every backup kept held the bad state):
// - the retention counts automatic backups (auto and safety) only; manual ones are kept until a
//   prune with `manual` (then the retention applies to them too, counted apart);
// - never removed: the newest verified backup, a safety backup younger than a day, and the newest
//   verified backup that predates the oldest kept one (a good state before whatever the kept ones hold);
// - protected backups count towards the retention (when they alone exceed it, they are all kept);
// - files opsdeck did not name are never touched.
// With tiered rules (BACKUP_KEEP, retention.ts) the rules take the place of the count: a backup
// stays when a rule or a protection above keeps it; each kept one says which (`why`).
import type {BackupEntry} from './files.js';
import {planRetention, type KeptBy, type RetentionRules} from './retention.js';

export type PrunePlan = {
	readonly keep: readonly BackupEntry[];
	readonly remove: readonly BackupEntry[];
	/** why each kept backup beyond the newest `retention` is kept */
	readonly protected: readonly string[];
	/** name → why it is kept: `last`, `daily 2026-11-30`, `manual`, `newest verified`, ... (the first is shown) */
	readonly why: Readonly<Record<string, readonly string[]>>;
};

export type PruneOptions = {
	/** plan the manual backups too (counted apart) */
	readonly manual?: boolean;
	/** tiered rules (BACKUP_KEEP) instead of the count */
	readonly rules?: RetentionRules;
};

export function keptByText(by: KeptBy): string {
	return by.period ? `${by.rule} ${by.period}` : by.rule;
}

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

/** the tiered rules over one group (automatic, or manual with --manual) */
function keepByRules(group: readonly BackupEntry[], rules: RetentionRules, keep: Set<string>, why: Record<string, string[]>): void {
	const plan = planRetention(group.map(e => ({name: e.name, time: e.createdAt, manual: false})), rules);
	for (const {entry, keptBy} of plan.keep) {
		keep.add(entry.name);
		(why[entry.name] ??= []).push(...keptBy.map(keptByText));
	}
}

export function planPrune(entries: readonly BackupEntry[], retention: number, now = Date.now(), options: PruneOptions = {}): PrunePlan {
	const ours = [...entries].filter(e => e.kind !== 'other').sort(newestFirst);
	const why: Record<string, string[]> = {};
	const protectedNames = new Set<string>();
	const protect = (e: BackupEntry, reason: string) => {
		protectedNames.add(e.name);
		(why[e.name] ??= []).push(reason);
	};
	const newestVerified = ours.find(e => e.verified?.ok === true);
	if (newestVerified) protect(newestVerified, 'newest verified');
	for (const e of ours) if (e.kind === 'safety' && now - e.createdAt < dayMs) protect(e, 'safety, under a day old');
	const keep = new Set<string>();
	const automatic = ours.filter(e => e.kind !== 'manual');
	const manual = ours.filter(e => e.kind === 'manual');
	const rules = options.rules;
	if (rules) {
		for (const name of protectedNames) keep.add(name);
		keepByRules(automatic, rules, keep, why);
		if (options.manual) keepByRules(manual, rules, keep, why);
	} else {
		keepNewest(automatic, retention, protectedNames, keep);
		if (options.manual) keepNewest(manual, retention, protectedNames, keep);
		for (const e of ours) if (keep.has(e.name) && !protectedNames.has(e.name)) (why[e.name] ??= []).push(`last ${retention}`);
	}
	if (!options.manual) {
		for (const e of manual) {
			keep.add(e.name);
			(why[e.name] ??= []).push('manual');
		}
	}
	const kept = ours.filter(e => keep.has(e.name));
	const oldestKept = kept.at(-1);
	if (oldestKept) {
		const goodBefore = ours.find(e => e.verified?.ok === true && e.createdAt < oldestKept.createdAt);
		if (goodBefore && !keep.has(goodBefore.name)) {
			protect(goodBefore, 'verified, before the oldest kept');
			keep.add(goodBefore.name);
		}
	}
	return {
		keep: ours.filter(e => keep.has(e.name)),
		remove: ours.filter(e => !keep.has(e.name)),
		protected: [...protectedNames],
		why,
	};
}
