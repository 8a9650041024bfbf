// The remote side of `opsdeck backup prune` (issue 19): what BACKUP_REMOTE_KEEP (default
// BACKUP_KEEP) keeps and deletes on each BACKUP_REMOTE, as the dry run shows it (the rule that keeps
// each survivor, per remote) and as the real prune reports it.
import {formatRetentionRules} from '../backups/retention.js';
import {keptByText} from '../backups/prune.js';
import {parseBackupName} from '../backups/names.js';
import type {RemotePrune} from '../backups/remote/remote-retention.js';
import {formatDateTime, plural} from '../text/format.js';
import {mask} from '../text/mask.js';
import {sanitize} from '../text/sanitize.js';
import {print, warn, type CommandContext} from './shared.js';

export function remoteKeepText(ctx: CommandContext): string {
	const rules = ctx.config.backupRemoteKeep;
	return rules ? formatRetentionRules(rules) : 'none';
}

/** Why the remote copies are not pruned, when they are not (BACKUP_REMOTE set, no rules). */
export function remotesLeftAlone(ctx: CommandContext): string | undefined {
	if (ctx.config.backupRemotes.length === 0 || ctx.config.backupRemoteKeep) return undefined;
	return 'remote copies: left alone (set BACKUP_REMOTE_KEEP or BACKUP_KEEP to prune them)';
}

export function remotePlanJson(plans: readonly RemotePrune[]) {
	return plans.map(p => ({
		remote: p.remote,
		...(p.error ? {error: p.error} : {}),
		keep: p.keep.map(k => ({name: k.name, createdAt: new Date(k.time).toISOString(), why: k.keptBy.map(keptByText)})),
		remove: p.drop.map(d => ({name: d.name, createdAt: new Date(d.time).toISOString()})),
		...(p.deleted.length > 0 ? {deleted: p.deleted} : {}),
	}));
}

/** The dry run's table for each remote: every backup with keep/DELETE and the rule that keeps it. */
export function printRemotePlans(ctx: CommandContext, plans: readonly RemotePrune[]): void {
	const alone = remotesLeftAlone(ctx);
	if (alone) print(ctx, alone);
	for (const plan of plans) {
		print(ctx, '');
		print(ctx, `${sanitize(mask(plan.remote))} (keep ${remoteKeepText(ctx)})`);
		if (plan.error) {
			// under the line that names the remote: the reason only, "cannot list" said once
			print(ctx, `  cannot list: ${sanitize(mask((plan.reason ?? plan.error).replace(/^cannot list: /, '')))}`);
			continue;
		}
		const rows = [...plan.keep.map(k => ({...k, action: 'keep', why: k.keptBy.map(keptByText).join(', ')})), ...plan.drop.map(d => ({...d, action: 'DELETE', why: ''}))]
			.sort((a, b) => b.time - a.time || b.name.localeCompare(a.name));
		const width = Math.max(4, ...rows.map(r => sanitize(r.name).length));
		print(ctx, `  ${'NAME'.padEnd(width)}  KIND    ${'CREATED (UTC)'.padEnd(19)}  ACTION  KEPT BY`);
		for (const r of rows) print(ctx, `  ${sanitize(r.name).padEnd(width)}  ${(parseBackupName(r.name)?.kind ?? '').padEnd(6)}  ${formatDateTime(r.time)}  ${r.action.padEnd(6)}  ${r.why}`.trimEnd());
		print(ctx, `  dry run: would delete ${plural(plan.drop.length, 'backup')} there, keep ${plan.keep.length}`);
	}
}

/** The real prune's lines for the remotes; true when every remote was pruned. */
export function reportRemotePrunes(ctx: CommandContext, done: readonly RemotePrune[]): boolean {
	for (const p of done) {
		if (p.error) warn(ctx, `${sanitize(mask(p.remote))}: ${p.deleted.length > 0 ? `deleted ${p.deleted.length}, then ` : ''}${sanitize(mask(p.reason ?? p.error))}`);
		else if (!ctx.flags.json) print(ctx, `${sanitize(mask(p.remote))}: pruned ${plural(p.deleted.length, 'backup')}; ${p.keep.length} kept (keep ${remoteKeepText(ctx)})`);
	}
	return done.every(p => !p.error);
}
