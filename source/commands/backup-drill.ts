// opsdeck backup drill [NAME|--newest] [--json]: restores a backup into a scratch file and checks
// it (backups/drill.ts). Exit 0 when it passes, 1 with findings (or when it cannot run), 2 for bad
// usage. --remote needs the off-site copies (BACKUP_REMOTE), built apart.
import {drillBackup, type DrillResult} from '../backups/drill.js';
import {withInterrupt} from '../system/temp-files.js';
import {formatCount, formatDuration} from '../text/format.js';
import {sanitize} from '../text/sanitize.js';
import {print, printJson, UsageError, warn, type CommandContext} from './shared.js';

export function drillLines(result: DrillResult): string[] {
	const lines = [`drill of ${sanitize(result.backup)}: ${result.ok ? 'passed' : 'FAILED'} in ${formatDuration(result.durationMs)} (restored into a scratch copy; the live file was not touched)`];
	lines.push(`integrity_check: ${sanitize(result.integrity ?? 'not run')}`);
	lines.push(`foreign_key_check: ${result.foreignKeys ? (result.foreignKeys.count === 0 ? 'ok' : `${formatCount(result.foreignKeys.count)} ${result.foreignKeys.count === 1 ? 'row points at a missing parent' : 'rows point at missing parents'}`) : 'not run'}`);
	if (result.tables) {
		const bad = result.tables.filter(t => t.recorded !== t.restored).length;
		lines.push(`row counts: ${bad === 0 ? `all ${result.tables.length} tables match the sidecar` : `${bad} of ${result.tables.length} tables differ from the sidecar`}`);
	}
	for (const check of result.checks) lines.push(`check ${sanitize(JSON.stringify(check.sql.length > 60 ? `${check.sql.slice(0, 57)}...` : check.sql))}: ${check.ok ? 'ok' : 'FAILED'}`);
	for (const note of result.notes) lines.push(`note: ${sanitize(note)}`);
	for (const finding of result.findings) lines.push(`finding: ${sanitize(finding)}`);
	return lines;
}

export async function drill(ctx: CommandContext): Promise<number> {
	if (ctx.flags.remote) throw new UsageError('backup drill --remote needs BACKUP_REMOTE (off-site copies); drill a local backup by NAME or --newest');
	const name = ctx.args[1];
	if (ctx.args.length > 2) throw new UsageError('backup drill takes one NAME (or --newest); usage: opsdeck backup drill [NAME|--newest]');
	if (name !== undefined && ctx.flags.newest) throw new UsageError('backup drill takes a NAME or --newest, not both');
	const result = await withInterrupt(ctx.stderr, () => 'the drill was abandoned and its scratch copy removed; nothing was changed', () => drillBackup(ctx.config, name === undefined ? {newest: true} : {name}));
	if (ctx.flags.json) printJson(ctx, result);
	else for (const line of drillLines(result)) print(ctx, line);
	for (const reason of result.notRecorded) warn(ctx, `the result is not recorded in the ${sanitize(reason)}`);
	return result.ok ? 0 : 1;
}
