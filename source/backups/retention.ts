// Tiered retention (BACKUP_KEEP, BACKUP_REMOTE_KEEP): `last=7,daily=14,weekly=8,monthly=12`.
// The rules read as restic's and borg's do: `last=N` keeps the N newest; `daily=N` keeps the newest
// backup of each of the N most recent days that have a backup (a day without one does not use up a
// slot), and so on for hours, ISO weeks (Monday to Sunday), months and years, all in UTC (the
// backup names are UTC). Each rule looks at every backup on its own; a backup kept by any rule
// stays. Manual backups are kept apart: never counted, never removed here (`prune --manual` plans
// them on their own). The planner is pure, so the rules can be shown before anything is deleted, and
// applyRetention runs the same plan on any store (the local folder, an S3 or SFTP remote).
import {quote} from '../text/sanitize.js';

export const retentionRules = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type RetentionRule = (typeof retentionRules)[number];
export type RetentionRules = Readonly<Partial<Record<RetentionRule, number>>>;

/** what a store lists: enough to plan */
export type RetentionEntry = {readonly name: string; readonly time: number; readonly manual: boolean};

/** one rule keeping one backup: `daily` for the day `2026-11-30` */
export type KeptBy = {readonly rule: RetentionRule | 'manual'; readonly period?: string};

export type RetentionPlan<E extends RetentionEntry = RetentionEntry> = {
	/** newest first, each with the rules that keep it (the first is the one shown) */
	readonly keep: readonly {readonly entry: E; readonly keptBy: readonly KeptBy[]}[];
	/** newest first */
	readonly drop: readonly E[];
};

export class RetentionRulesError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RetentionRulesError';
	}
}

const maxCount = 100_000;

/**
 * `last=7,daily=14,weekly=8,monthly=12` → {last: 7, daily: 14, ...}; a bad one is a
 * RetentionRulesError of one line naming the setting (`name`) and the part at fault.
 */
export function parseRetentionRules(text: string, name = 'BACKUP_KEEP'): RetentionRules {
	const rules: Partial<Record<RetentionRule, number>> = {};
	const parts = text.split(',').map(part => part.trim());
	if (parts.every(part => part === '')) throw new RetentionRulesError(`${name} is empty: give rules like last=7,daily=14,weekly=8,monthly=12`);
	for (const part of parts) {
		if (part === '') throw new RetentionRulesError(`${name} has an empty rule (two commas, or one at an end): ${quote(text.slice(0, 80))}`);
		const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(part);
		if (!m) throw new RetentionRulesError(`${name}: ${quote(part.slice(0, 40))} is not RULE=N (e.g. daily=14)`);
		const rule = m[1]!.toLowerCase() as RetentionRule;
		if (!retentionRules.includes(rule)) throw new RetentionRulesError(`${name}: unknown rule ${quote(m[1]!.slice(0, 20))} (the rules are ${retentionRules.join(', ')})`);
		if (rules[rule] !== undefined) throw new RetentionRulesError(`${name}: ${rule} is given twice`);
		const value = m[2]!.trim();
		const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
		if (!Number.isInteger(n) || n > maxCount) throw new RetentionRulesError(`${name}: ${rule}=${JSON.stringify(value.slice(0, 20))} must be a whole number from 0 to ${maxCount}`);
		rules[rule] = n;
	}
	if (!Object.values(rules).some(n => n > 0)) throw new RetentionRulesError(`${name} keeps nothing: at least one rule must be above 0`);
	return rules;
}

/** `last=7,daily=14` (the rules in their fixed order) */
export function formatRetentionRules(rules: RetentionRules): string {
	return retentionRules.filter(rule => rules[rule] !== undefined).map(rule => `${rule}=${rules[rule]}`).join(',');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The ISO week of a UTC date: `2026-W48` (the year is the week's, not always the date's). */
export function isoWeek(time: number): string {
	const date = new Date(time);
	const day = (date.getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
	const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3);
	const year = new Date(thursday).getUTCFullYear();
	const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
	return `${year}-W${pad(week)}`;
}

/** the period a backup falls in for each rule (UTC) */
export function periodOf(rule: Exclude<RetentionRule, 'last'>, time: number): string {
	const iso = new Date(time).toISOString();
	switch (rule) {
		case 'hourly':
			return iso.slice(0, 13).replace('T', ' ') + 'h';
		case 'daily':
			return iso.slice(0, 10);
		case 'weekly':
			return isoWeek(time);
		case 'monthly':
			return iso.slice(0, 7);
		case 'yearly':
			return iso.slice(0, 4);
	}
}

function newestFirst(a: RetentionEntry, b: RetentionEntry): number {
	return b.time - a.time || b.name.localeCompare(a.name);
}

/** Which backups the rules keep (with why) and which they drop. Manual ones: kept, apart. */
export function planRetention<E extends RetentionEntry>(entries: readonly E[], rules: RetentionRules): RetentionPlan<E> {
	const sorted = [...entries].sort(newestFirst);
	const why = new Map<E, KeptBy[]>();
	const mark = (entry: E, by: KeptBy) => {
		const list = why.get(entry) ?? [];
		list.push(by);
		why.set(entry, list);
	};
	const counted = sorted.filter(e => !e.manual);
	for (const e of sorted) if (e.manual) mark(e, {rule: 'manual'});
	for (const e of counted.slice(0, rules.last ?? 0)) mark(e, {rule: 'last'});
	for (const rule of retentionRules) {
		if (rule === 'last') continue;
		const n = rules[rule] ?? 0;
		let seen = 0;
		let previous: string | undefined;
		for (const e of counted) {
			if (seen >= n) break;
			const period = periodOf(rule, e.time);
			if (period === previous) continue;
			previous = period;
			seen++;
			mark(e, {rule, period});
		}
	}
	return {
		keep: sorted.filter(e => why.has(e)).map(entry => ({entry, keptBy: why.get(entry)!})),
		drop: sorted.filter(e => !why.has(e)),
	};
}

/** what applyRetention works on: the local folder, or a remote's listing and delete */
export type RetentionStore = {
	list(): Promise<RetentionEntry[]>;
	delete(name: string): Promise<void>;
};

export type RetentionResult = RetentionPlan & {
	/** deleted (empty in a dry run) */
	readonly deleted: readonly string[];
	readonly dryRun: boolean;
};

/**
 * Plans the store's backups and, unless a dry run, deletes what the plan drops, one at a time,
 * newest first. `guard` wraps the deletes (the mutation registry: read-only refusal and the audit
 * log) when the caller has one; it is not called when there is nothing to delete.
 */
export async function applyRetention(
	store: RetentionStore,
	rules: RetentionRules,
	options: {readonly dryRun?: boolean; readonly guard?: (what: string, work: () => Promise<void>) => Promise<void>} = {},
): Promise<RetentionResult> {
	const plan = planRetention(await store.list(), rules);
	const deleted: string[] = [];
	const dryRun = options.dryRun ?? false;
	if (dryRun || plan.drop.length === 0) return {...plan, deleted, dryRun};
	const work = async () => {
		for (const entry of plan.drop) {
			await store.delete(entry.name);
			deleted.push(entry.name);
		}
	};
	const what = `${plan.drop.length} of ${plan.drop.length + plan.keep.length} backups (keep ${formatRetentionRules(rules)})`;
	await (options.guard ? options.guard(what, work) : work());
	return {...plan, deleted, dryRun};
}
