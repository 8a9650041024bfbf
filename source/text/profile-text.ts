// Profiles as text, for `opsdeck profiles`, `status --all-profiles` and the console (the banner, the
// picker, the Status tab's overview). A profile's name is the operator's own text from a JSON file,
// so it may be anything: shown escaped (sanitize), cut to a width, never raw.
import type {Config} from '../config/config.js';
import type {ProfileHealth} from '../health/all-profiles.js';
import {fitMiddle, formatDuration} from './format.js';
import {sanitize, type Safe} from './sanitize.js';

/** A profile's name as it is drawn: escaped, at most `width` cells. */
export function profileName(name: string, width = 24): Safe {
	return fitMiddle(sanitize(name), width);
}

const ms = (value: number | null) => (value === null ? '-' : value < 10 ? `${value.toFixed(1)}ms` : formatDuration(value));

/** "3.1ms", or DOWN (a word, not only a colour) */
function store(part: ProfileHealth['postgres']): string {
	if (!part) return '-';
	return part.state === 'up' ? ms(part.latencyMs) : part.state === 'down' ? 'DOWN' : part.state;
}

export type OverviewCells = {readonly name: Safe; readonly verdict: string; readonly postgres: string; readonly redis: string; readonly backup: string; readonly reason: Safe};

/** One profile's row of the overview, in cells (the tab lays them out, the command pads them). */
export function overviewCells(row: ProfileHealth): OverviewCells {
	return {
		name: sanitize(row.name),
		verdict: row.verdict,
		postgres: store(row.postgres),
		redis: store(row.redis),
		backup: row.verdict === 'invalid' ? '-' : row.backupAgeMs === null ? 'none' : `${formatDuration(row.backupAgeMs)} ago`,
		reason: sanitize(row.reason ?? ''),
	};
}

/** `status --all-profiles`: one line per environment, the columns aligned. */
export function overviewLines(rows: readonly ProfileHealth[]): string[] {
	const cells = rows.map(overviewCells);
	const nameWidth = Math.min(24, Math.max(7, ...cells.map(c => c.name.length)));
	const header = `${'profile'.padEnd(nameWidth)}  ${'verdict'.padEnd(9)}  ${'postgres'.padEnd(8)}  ${'redis'.padEnd(8)}  ${'backup'.padEnd(12)}  reason`;
	return [header, ...cells.map((c, i) => `${fitMiddle(c.name, nameWidth, true)}  ${c.verdict.padEnd(9)}  ${c.postgres.padEnd(8)}  ${c.redis.padEnd(8)}  ${c.backup.padEnd(12)}  ${rows[i]!.current ? '(current) ' : ''}${c.reason}`.trimEnd())];
}

/** What `opsdeck profiles` says of one profile: its settings as they apply (masked by the one writer). */
export type ProfileListing = {
	readonly name: string;
	readonly current: boolean;
	readonly colour: string | null;
	readonly description: string | null;
	readonly readOnly: boolean | null;
	readonly redisUrl: string | null;
	readonly databaseUrl: string | null;
	readonly sqlitePath: string | null;
	readonly backupDir: string | null;
	/** flags that override a setting of this profile */
	readonly overriddenBy: readonly string[];
	/** why the profile cannot be used (a bad value), else null */
	readonly error: string | null;
};

export function profileListing(name: string, current: boolean, config: Config | undefined, error?: string): ProfileListing {
	return {
		name,
		current,
		colour: config?.profile?.colour ?? null,
		description: config?.profile?.description ?? null,
		readOnly: config ? config.readOnly : null,
		redisUrl: config?.redisUrl ?? null,
		databaseUrl: config?.databaseUrl ?? null,
		sqlitePath: config?.sqlitePath ?? null,
		backupDir: config?.backupDir ?? null,
		overriddenBy: config?.profileShadowed ?? [],
		error: error ?? null,
	};
}

/** A profile's lines for `opsdeck profiles` (the name escaped; URLs masked by the writer). */
export function listingLines(p: ProfileListing): string[] {
	const head = `${p.current ? '* ' : '  '}${sanitize(p.name)}${p.readOnly ? '  read-only' : ''}${p.colour ? `  (${p.colour})` : ''}${p.description ? `  ${sanitize(p.description)}` : ''}`;
	if (p.error) return [head, `    invalid: ${sanitize(p.error)}`];
	return [
		head,
		`    redis     ${sanitize(p.redisUrl ?? '-')}`,
		`    postgres  ${sanitize(p.databaseUrl ?? '-')}`,
		`    sqlite    ${sanitize(p.sqlitePath ?? '-')}`,
		`    backups   ${sanitize(p.backupDir ?? '-')}`,
		...(p.overriddenBy.length > 0 ? [`    overridden by ${p.overriddenBy.join(', ')} (flags beat a profile)`] : []),
	];
}
