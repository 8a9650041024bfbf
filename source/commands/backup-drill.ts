// opsdeck backup drill [NAME|--newest] [--json]: restores a backup into a scratch file and checks
// it (backups/drill.ts). Exit 0 when it passes, 1 with findings (or when it cannot run), 2 for bad
// usage. --remote [--from REMOTE] drills a remote copy: downloaded (sha256 and quick_check checked)
// into a temp file, drilled against the remote's sidecar, recorded in the drill log; the temp file is
// removed on every path.
import {drillBackup, type DrillResult} from '../backups/drill.js';
import {appendDrillLog} from '../backups/drill-log.js';
import {DownloadVerifyError, downloadToTemp, findRemote, type Downloaded} from '../backups/remote/remote-backups.js';
import {openRemote, remoteFile} from '../backups/remote/remote.js';
import type {RemoteSpec} from '../backups/remote/spec.js';
import {withInterrupt} from '../system/temp-files.js';
import {formatCount, formatDuration} from '../text/format.js';
import {quote, sanitize} from '../text/sanitize.js';
import {print, printJson, UsageError, warn, type CommandContext} from './shared.js';

export function drillLines(result: DrillResult): string[] {
	const lines = [`drill of ${sanitize(result.backup)}${result.remote ? ` on ${sanitize(result.remote)}` : ''}: ${result.ok ? 'passed' : 'FAILED'} in ${formatDuration(result.durationMs)} (restored into a scratch copy; the live file was not touched)`];
	lines.push(`integrity_check: ${sanitize(result.integrity ?? 'not run')}`);
	lines.push(`foreign_key_check: ${result.foreignKeys ? (result.foreignKeys.count === 0 ? 'ok' : `${formatCount(result.foreignKeys.count)} ${result.foreignKeys.count === 1 ? 'row points at a missing parent' : 'rows point at missing parents'}`) : 'not run'}`);
	if (result.tables) {
		const bad = result.tables.filter(t => t.recorded !== t.restored).length;
		lines.push(`row counts: ${bad === 0 ? `all ${result.tables.length} tables match the sidecar` : `${bad} of ${result.tables.length} tables differ from the sidecar`}`);
	}
	for (const check of result.checks) lines.push(`check ${quote(check.sql.length > 60 ? `${check.sql.slice(0, 57)}...` : check.sql)}: ${check.ok ? 'ok' : 'FAILED'}`);
	for (const note of result.notes) lines.push(`note: ${sanitize(note)}`);
	for (const finding of result.findings) lines.push(`finding: ${sanitize(finding)}`);
	return lines;
}

/** A remote copy whose download is not the backup it claims to be (sha256, size, quick_check): a failed drill, recorded. */
async function refusedDownload(ctx: CommandContext, spec: RemoteSpec, name: string, started: number, error: DownloadVerifyError): Promise<DrillResult> {
	const record = {at: new Date(started).toISOString(), backup: name, ok: false, durationMs: Date.now() - started, findings: [error.message.replace(/: refused, nothing was changed$/, '')], remote: spec.id};
	const notRecorded: string[] = [];
	await appendDrillLog(ctx.config.backupDir, record).catch((e: unknown) => notRecorded.push(`drill log in ${ctx.config.backupDir}: ${(e as Error).message}`));
	return {...record, integrity: undefined, foreignKeys: undefined, tables: undefined, checks: [], notes: ['the download was refused: the copy was not restored'], notRecorded};
}

/** `drill --remote [NAME|--newest] [--from REMOTE]`: the remote copy (the newest there by default), downloaded, drilled, removed. */
async function drillRemote(ctx: CommandContext, name: string | undefined): Promise<DrillResult> {
	if (ctx.config.backupRemotes.length === 0 && ctx.flags.from === undefined) throw new UsageError('backup drill --remote needs BACKUP_REMOTE (s3://bucket/prefix or sftp://user@host/path) or --from REMOTE; drill a local backup by NAME or --newest');
	const spec = findRemote(ctx.config, ctx.flags.from);
	let backup = name;
	if (backup === undefined) {
		const remote = await openRemote(ctx.config, spec);
		try {
			backup = (await remote.list())[0]?.name;
		} finally {
			await remote.close();
		}
		if (backup === undefined) throw new UsageError(`no backup to drill on ${sanitize(spec.id)}`);
	}
	const started = Date.now();
	let downloaded: Downloaded | undefined;
	try {
		downloaded = await downloadToTemp(ctx.config, spec, backup);
		// as `restore --from` refuses it: without the remote's sidecar there is no sha256 or row counts to
		// check the copy against, so a drill of it cannot pass
		if (downloaded.checksumOk === undefined) throw new DownloadVerifyError(`${remoteFile(spec.id, backup)} has no sidecar there: its sha256 cannot be checked: refused, nothing was changed`);
		return await drillBackup(ctx.config, {file: downloaded.file, remote: {id: spec.id, name: backup, meta: downloaded.meta}});
	} catch (error) {
		if (error instanceof DownloadVerifyError) return refusedDownload(ctx, spec, backup, started, error);
		throw error;
	} finally {
		await downloaded?.cleanup();
	}
}

export async function drill(ctx: CommandContext): Promise<number> {
	const name = ctx.args[1];
	if (ctx.args.length > 2) throw new UsageError('backup drill takes one NAME (or --newest); usage: opsdeck backup drill [NAME|--newest] [--remote [--from REMOTE]]');
	if (name !== undefined && ctx.flags.newest) throw new UsageError('backup drill takes a NAME or --newest, not both');
	if (ctx.flags.from !== undefined && !ctx.flags.remote) throw new UsageError('--from goes with backup drill --remote');
	const result = await withInterrupt(ctx.stderr, () => 'the drill was abandoned and its scratch copy removed; nothing was changed', () => (ctx.flags.remote ? drillRemote(ctx, name) : drillBackup(ctx.config, name === undefined ? {newest: true} : {name})));
	if (ctx.flags.json) printJson(ctx, result);
	else for (const line of drillLines(result)) print(ctx, line);
	for (const reason of result.notRecorded) warn(ctx, `the result is not recorded in the ${sanitize(reason)}`);
	return result.ok ? 0 : 1;
}
