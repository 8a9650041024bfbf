// The settings of tiered retention, restore drills and relation checks (issue 19), parsed from the
// values config.ts picked (flag > environment > .env > config file): each bad one is a ConfigError
// of one line naming the setting.
import {ConfigError} from './config-file.js';
import {parseRetentionRules, RetentionRulesError, type RetentionRules} from '../backups/retention.js';
import {quote} from '../text/sanitize.js';

export type OrphanCheck = {
	readonly child: string;
	readonly childColumn: string;
	readonly parent: string;
	readonly parentColumn: string;
};

export type BackupSettings = {
	/** BACKUP_KEEP: tiered retention of local backups (undefined: BACKUP_RETENTION's count) */
	readonly backupKeep: RetentionRules | undefined;
	/** BACKUP_REMOTE_KEEP: the same for remote copies (default: BACKUP_KEEP; undefined when neither is set) */
	readonly backupRemoteKeep: RetentionRules | undefined;
	/** DRILL_INTERVAL_HOURS: serve drills the newest backup this often (undefined: no drills scheduled) */
	readonly drillIntervalHours: number | undefined;
	/** DRILL_CHECKS: SQL queries that must return a truthy value in a restored backup */
	readonly drillChecks: readonly string[];
	/** ORPHAN_CHECKS: child_table.column->parent_table.column */
	readonly orphanChecks: readonly OrphanCheck[];
};

type Picked = {readonly value: unknown; readonly name: string};

function rules(picked: Picked): RetentionRules | undefined {
	if (picked.value === undefined) return undefined;
	try {
		return parseRetentionRules(String(picked.value), picked.name);
	} catch (error) {
		if (error instanceof RetentionRulesError) throw new ConfigError(error.message);
		throw error;
	}
}

function hours(picked: Picked): number | undefined {
	if (picked.value === undefined) return undefined;
	const text = String(picked.value).trim();
	const n = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isFinite(n) || n <= 0 || n > 24 * 365) throw new ConfigError(`${picked.name} must be a number of hours above 0 and up to ${24 * 365} (got ${quote(text.slice(0, 30))})`);
	return n;
}

/** The config file gives a list; the environment one string, queries separated by `;;` or new lines. */
function queries(picked: Picked): string[] {
	if (picked.value === undefined) return [];
	const items = Array.isArray(picked.value) ? (picked.value as string[]) : String(picked.value).split(/;;|\n/);
	const out = items.map(item => item.trim().replace(/;\s*$/, '').trim()).filter(Boolean);
	for (const sql of out) if (!/^(select|with|values|pragma)\b/i.test(sql)) throw new ConfigError(`${picked.name}: each check is one query (SELECT, WITH, VALUES or PRAGMA) that returns a value; got ${quote(sql.slice(0, 40))}`);
	return out;
}

const ident = '[A-Za-z_][A-Za-z0-9_]*';
const orphanPattern = new RegExp(`^(${ident})\\.(${ident})\\s*->\\s*(${ident})\\.(${ident})$`);

export function parseOrphanChecks(value: unknown, name = 'ORPHAN_CHECKS'): OrphanCheck[] {
	if (value === undefined) return [];
	const items = Array.isArray(value) ? (value as string[]) : String(value).split(',');
	return items.map(item => item.trim()).filter(Boolean).map(item => {
		const m = orphanPattern.exec(item);
		if (!m) throw new ConfigError(`${name}: ${quote(item.slice(0, 60))} is not child_table.column->parent_table.column (plain SQL names)`);
		return {child: m[1]!, childColumn: m[2]!, parent: m[3]!, parentColumn: m[4]!};
	});
}

export function backupSettings(picked: {readonly keep: Picked; readonly remoteKeep: Picked; readonly drillHours: Picked; readonly drillChecks: Picked; readonly orphanChecks: Picked}): BackupSettings {
	const backupKeep = rules(picked.keep);
	return {
		backupKeep,
		backupRemoteKeep: rules(picked.remoteKeep) ?? backupKeep,
		drillIntervalHours: hours(picked.drillHours),
		drillChecks: queries(picked.drillChecks),
		orphanChecks: parseOrphanChecks(picked.orphanChecks.value, picked.orphanChecks.name),
	};
}
