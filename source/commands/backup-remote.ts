// The off-site side of `opsdeck backup` (issue 19): `list --remote`, `restore NAME --from REMOTE`
// (download, verify, then the ordinary restore), `delete NAME --from REMOTE`, and the lines that
// report a backup job's uploads and heartbeat. backup.ts routes here when --remote / --from is given.
import {restoreRequest} from '../backups/restore.js';
import {adoptDownload, deleteRemoteBackup, downloadToTemp, findRemote, listRemoteBackups, remoteDeleteRequest, RemoteChoiceError, DownloadVerifyError, type RemoteListing} from '../backups/remote/remote-backups.js';
import {RemoteError, remoteFile} from '../backups/remote/remote.js';
import {shipBackup, shipText, type ShipResult} from '../backups/remote/offsite.js';
import {pingText, type PingResult} from '../backups/remote/heartbeat.js';
import {parseBackupName} from '../backups/names.js';
import {refuseReadOnly} from '../mutations/registry.js';
import {withInterrupt} from '../system/temp-files.js';
import {formatBytes, formatDateTime, plural} from '../text/format.js';
import {mask} from '../text/mask.js';
import {sanitize} from '../text/sanitize.js';
import {CommandError, confirm, print, printJson, UsageError, warn, type CommandContext} from './shared.js';

/** Remote errors as the exit codes have them: a bad --from or a refused download is usage (2), a failed remote 1. */
export async function remoteErrors<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof RemoteChoiceError || error instanceof DownloadVerifyError) throw new UsageError(error.message);
		if (error instanceof RemoteError) throw (error.retryable ? new CommandError(error.message) : new UsageError(error.message));
		throw error;
	}
}

function listingJson(l: RemoteListing) {
	return {remote: l.remote, kind: l.kind, ...(l.error ? {error: l.error} : {}), backups: l.backups.map(b => ({name: b.name, kind: parseBackupName(b.name)?.kind ?? 'other', sizeBytes: b.sizeBytes, modifiedAt: new Date(b.modifiedAt).toISOString(), sidecar: b.hasSidecar}))};
}

/** `backup list --remote [--from REMOTE]`: each remote's backups, newest first. Exit 1 when a remote cannot be listed. */
export async function listRemote(ctx: CommandContext): Promise<number> {
	if (ctx.config.backupRemotes.length === 0 && ctx.flags.from === undefined) throw new UsageError('no remote to list: set BACKUP_REMOTE (s3://bucket/prefix or sftp://user@host/path), or give --from REMOTE');
	const specs = ctx.flags.from === undefined ? ctx.config.backupRemotes : [findRemote(ctx.config, ctx.flags.from)];
	const listings = await listRemoteBackups(ctx.config, specs);
	if (ctx.flags.json) {
		printJson(ctx, {remotes: listings.map(listingJson)});
		return listings.some(l => l.error) ? 1 : 0;
	}
	for (const listing of listings) {
		if (listing.error) {
			// the reason (without the remote's id) may say "cannot list" already: each said once
			print(ctx, `${sanitize(listing.remote)}: cannot list: ${sanitize((listing.reason ?? listing.error).replace(/^cannot list: /, ''))}`);
			continue;
		}
		if (listing.backups.length === 0) {
			print(ctx, `${sanitize(listing.remote)}: no backups`);
			continue;
		}
		const width = Math.max(4, ...listing.backups.map(b => sanitize(b.name).length));
		print(ctx, `${sanitize(listing.remote)}`);
		print(ctx, `  ${'NAME'.padEnd(width)}  KIND    ${'SIZE'.padStart(9)}  STORED (UTC)         SIDECAR`);
		for (const b of listing.backups) {
			print(ctx, `  ${sanitize(b.name).padEnd(width)}  ${(parseBackupName(b.name)?.kind ?? 'other').padEnd(6)}  ${formatBytes(b.sizeBytes).padStart(9)}  ${formatDateTime(b.modifiedAt)}  ${b.hasSidecar ? 'yes' : 'NO (sha256 cannot be checked)'}`);
		}
		print(ctx, `  ${plural(listing.backups.length, 'backup')}`);
	}
	return listings.some(l => l.error) ? 1 : 0;
}

/**
 * `restore NAME --from REMOTE`, the part before the ordinary restore: refused early in read-only
 * mode or without a way to confirm, then downloaded into the backup folder, its sha256 (against the
 * remote sidecar) and quick_check verified, and kept as a local backup. Returns the local name.
 */
export async function fetchForRestore(ctx: CommandContext, name: string): Promise<string> {
	const spec = findRemote(ctx.config, ctx.flags.from);
	refuseReadOnly(ctx.config, restoreRequest(ctx.config, name));
	// no terminal and no --yes: refused now, not after a long download
	if (!ctx.flags.yes && (!ctx.stdin.isTTY || !ctx.stdout.isTTY)) await confirm(ctx, restoreRequest(ctx.config, name), `Restore ${ctx.config.sqlitePath} from ${name} (${spec.id})?`);
	const bar = !ctx.flags.json && ctx.stderr.isTTY;
	let lastPct = -1;
	const downloaded = await withInterrupt(ctx.stderr, () => 'nothing was changed (the partial download was removed)', () => downloadToTemp(ctx.config, spec, name, {
		onProgress: bar ? (done, total) => {
			const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
			if (pct !== lastPct) ctx.stderr.write(`\rdownloading ${sanitize(name)}: ${String((lastPct = pct)).padStart(3)}%${pct >= 100 ? '\n' : ''}`);
		} : undefined,
	}));
	if (downloaded.checksumOk === undefined && !ctx.flags.force) {
		await downloaded.cleanup();
		throw new UsageError(`${sanitize(remoteFile(spec.id, name))} has no sidecar there: its sha256 cannot be checked; refused (--force restores it anyway); nothing was changed`);
	}
	const local = await adoptDownload(ctx.config, downloaded);
	if (!ctx.flags.json) print(ctx, `downloaded ${sanitize(name)} from ${sanitize(spec.id)} (${formatBytes(downloaded.sizeBytes)}, ${downloaded.checksumOk ? 'sha256 matches its sidecar' : 'no sidecar to compare'}, quick_check ok); kept as a local backup`);
	return local;
}

/** `delete NAME --from REMOTE`: the remote copy and its sidecar, through the guard. */
export async function deleteRemote(ctx: CommandContext, name: string): Promise<number> {
	const spec = findRemote(ctx.config, ctx.flags.from);
	const request = remoteDeleteRequest(spec, name);
	refuseReadOnly(ctx.config, request);
	await confirm(ctx, request, `Delete ${name} from ${spec.id}?`);
	await deleteRemoteBackup(ctx.config, spec, name);
	if (ctx.flags.json) printJson(ctx, {deleted: name, remote: spec.id});
	else print(ctx, `deleted ${sanitize(name)} from ${sanitize(spec.id)}`);
	return 0;
}

/** Ships a safety backup a restore just took; a failed upload is a warning (the restore stands). */
export async function shipSafety(ctx: CommandContext, name: string | undefined): Promise<ShipResult | undefined> {
	if (!name || ctx.config.backupRemotes.length === 0) return undefined;
	const ship = await shipBackup(ctx.config, name, {pending: false});
	if (ship && !ship.ok) warn(ctx, `safety backup ${sanitize(name)}: ${sanitize(mask(shipText(ship)))}`);
	return ship;
}

/** The lines a backup job adds to `backup create`: the uploads and the pings that did not go through. */
export function reportJob(ctx: CommandContext, ship: ShipResult | undefined, pings: readonly PingResult[]): void {
	if (ship && !ctx.flags.json) print(ctx, sanitize(mask(shipText(ship))));
	for (const ping of pings) warn(ctx, sanitize(pingText(ping)));
}
