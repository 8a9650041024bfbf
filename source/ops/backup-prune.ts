// Which backups a prune removes. Pure, so the rules are easy to test and to show before acting.
// Rules: keep `retention` backups (manual, auto and safety together); never remove the newest
// verified backup, nor a safety backup younger than a day (they count towards the retention; when
// they alone exceed it, they are all kept). Files opsdeck did not name are never touched.
import type {BackupEntry} from './backup-files.js';

export type PrunePlan = {
	readonly keep: readonly BackupEntry[];
	readonly remove: readonly BackupEntry[];
	/** why each kept backup beyond the newest `retention` is kept */
	readonly protected: readonly string[];
};

const dayMs = 86_400_000;

export function planPrune(entries: readonly BackupEntry[], retention: number, now = Date.now()): PrunePlan {
	const ours = [...entries].filter(e => e.kind !== 'other').sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
	const protectedNames = new Set<string>();
	const newestVerified = ours.find(e => e.verified?.ok === true);
	if (newestVerified) protectedNames.add(newestVerified.name);
	for (const e of ours) if (e.kind === 'safety' && now - e.createdAt < dayMs) protectedNames.add(e.name);
	const room = Math.max(0, retention - protectedNames.size);
	const keep = new Set<string>(protectedNames);
	for (const e of ours) {
		if (keep.size >= Math.max(retention, protectedNames.size)) break;
		if (!keep.has(e.name) && room > 0) keep.add(e.name);
	}
	return {
		keep: ours.filter(e => keep.has(e.name)),
		remove: ours.filter(e => !keep.has(e.name)),
		protected: [...protectedNames],
	};
}
