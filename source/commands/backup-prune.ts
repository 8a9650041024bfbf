// opsdeck backup prune [--manual] [--dry-run] [--yes] [--json]: deletes the backups the retention
// (BACKUP_KEEP's tiers, else the newest BACKUP_RETENTION) does not keep, and the leftovers of killed
// operations, through the mutation guard. --dry-run deletes nothing and asks nothing: each backup
// with what would happen to it and why (the rule that keeps a survivor).
import {keepText, listBackups, listLeftovers, planPrune, pruneBackups, type BackupEntry, type Leftover, type PrunePlan} from '../backups/backups.js';
import {prunable} from '../backups/leftovers.js';
import {pruneRemotes} from '../backups/remote/remote-retention.js';
import {refuseReadOnly} from '../mutations/registry.js';
import {withInterrupt} from '../system/temp-files.js';
import {formatBytes, formatDateTime, plural} from '../text/format.js';
import {sanitize} from '../text/sanitize.js';
import {printRemotePlans, remotePlanJson, remotesLeftAlone, reportRemotePrunes} from './backup-prune-remote.js';
import {CommandError, confirm, print, printJson, UsageError, type CommandContext} from './shared.js';

export function leftoverLine(l: Leftover): string {
	return `${l.what} ${sanitize(l.path)} (${formatBytes(l.sizeBytes)}, ${formatDateTime(l.modifiedAt)}${l.inProgress ? ', in progress' : l.what === 'safety partial' ? ', may hold the state before an interrupted restore' : ''})`;
}

function planJson(plan: PrunePlan, leftovers: readonly Leftover[]) {
	const row = (e: BackupEntry) => ({name: e.name, kind: e.kind, createdAt: new Date(e.createdAt).toISOString(), sizeBytes: e.sizeBytes});
	return {
		dryRun: true,
		keep: plan.keep.map(e => ({...row(e), why: plan.why[e.name] ?? []})),
		remove: plan.remove.map(row),
		leftovers: leftovers.map(l => ({name: l.name, path: l.path, what: l.what, sizeBytes: l.sizeBytes})),
	};
}

function printPlan(ctx: CommandContext, plan: PrunePlan, leftovers: readonly Leftover[], manual: boolean): void {
	const rows = [...plan.keep.map(e => ({e, action: 'keep', why: (plan.why[e.name] ?? []).join(', ')})), ...plan.remove.map(e => ({e, action: 'DELETE', why: ''}))]
		.sort((a, b) => b.e.createdAt - a.e.createdAt || b.e.name.localeCompare(a.e.name));
	const width = Math.max(4, ...rows.map(r => sanitize(r.e.name).length));
	print(ctx, `${'NAME'.padEnd(width)}  KIND    ${'CREATED (UTC)'.padEnd(19)}  ACTION  KEPT BY`);
	for (const {e, action, why} of rows) print(ctx, `${sanitize(e.name).padEnd(width)}  ${e.kind.padEnd(6)}  ${formatDateTime(e.createdAt)}  ${action.padEnd(6)}  ${why}`.trimEnd());
	for (const l of leftovers) print(ctx, `DELETE ${leftoverLine(l)}`);
	print(ctx, `dry run: would delete ${plural(plan.remove.length, 'backup')}${leftovers.length > 0 ? ` and ${plural(leftovers.length, 'leftover temp file')}` : ''}, keep ${plan.keep.length} (keep ${keepText(ctx.config)} automatic${manual ? ' and manual' : '; manual ones only with --manual'}); nothing was changed`);
}

export async function prune(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 1) throw new UsageError('backup prune takes no NAME; usage: opsdeck backup prune [--manual] [--dry-run] [--yes]');
	const dryRun = ctx.flags.dryRun ?? false;
	// a dry run changes nothing: it is not refused in read-only mode
	if (!dryRun) refuseReadOnly(ctx.config, {action: 'prune', target: ctx.config.backupDir});
	const manual = ctx.flags.manual ?? false;
	const keep = keepText(ctx.config);
	const plan = planPrune(await listBackups(ctx.config.backupDir, ctx.config.sqlitePath), ctx.config.backupRetention, Date.now(), {manual, rules: ctx.config.backupKeep});
	const leftovers = (await listLeftovers(ctx.config)).filter(prunable);
	// the remote copies by BACKUP_REMOTE_KEEP: planned first (the dry run, and what the question names)
	const remotes = await pruneRemotes(ctx.config, {dryRun: true, manual});
	if (dryRun) {
		if (ctx.flags.json) printJson(ctx, {...planJson(plan, leftovers), remotes: remotePlanJson(remotes)});
		else {
			printPlan(ctx, plan, leftovers, manual);
			printRemotePlans(ctx, remotes);
		}
		return remotes.some(r => r.error) ? 1 : 0;
	}
	const remoteDrops = remotes.reduce((n, r) => n + r.drop.length, 0);
	const remoteText = remoteDrops > 0 ? ` and ${plural(remoteDrops, 'remote copy', 'remote copies')}` : '';
	if (plan.remove.length === 0 && leftovers.length === 0 && remoteDrops === 0) {
		if (ctx.flags.json) printJson(ctx, {removed: [], kept: plan.keep.map(e => e.name), leftovers: [], remotes: remotePlanJson(remotes)});
		else {
			print(ctx, `nothing to prune: ${plural(plan.keep.length, 'backup')}, keep ${keep} automatic${manual ? ' and manual' : ' (manual ones only with --manual)'}`);
			const alone = remotesLeftAlone(ctx);
			if (alone) print(ctx, alone);
		}
		if (!reportRemotePrunes(ctx, remotes.filter(r => r.error))) throw new CommandError('a remote could not be listed: its copies were not pruned');
		return 0;
	}
	if (!ctx.flags.json) {
		for (const e of plan.remove) print(ctx, `delete ${sanitize(e.name)} (${e.kind}, ${formatDateTime(e.createdAt)})`);
		for (const l of leftovers) print(ctx, `delete ${leftoverLine(l)}`);
		for (const r of remotes) for (const d of r.drop) print(ctx, `delete ${sanitize(r.remote)}${sanitize(d.name)} (remote copy, ${formatDateTime(d.time)})`);
	}
	await confirm(ctx, {action: 'prune', target: `${ctx.config.backupDir}: ${plan.remove.length} of ${plan.keep.length + plan.remove.length} backups (keep ${keep}${manual ? ', manual too' : ''})${leftovers.length > 0 ? ` and ${leftovers.length} leftover temp files` : ''}${remoteText}`}, `Delete ${plural(plan.remove.length, 'backup')}${leftovers.length > 0 ? ` and ${plural(leftovers.length, 'leftover temp file')}` : ''}${remoteText}, keeping ${plan.keep.length}?`);
	const result = await withInterrupt(ctx.stderr, () => 'the prune stopped part-way: opsdeck backup list (--remote) shows what is left', async () => ({
		...(await pruneBackups(ctx.config, Date.now(), {manual, leftovers: true})),
		remotes: await pruneRemotes(ctx.config, {manual}),
	}));
	if (ctx.flags.json) printJson(ctx, {removed: result.removed, kept: result.kept, leftovers: result.leftovers, remotes: remotePlanJson(result.remotes)});
	else print(ctx, `pruned ${plural(result.removed.length, 'backup')}${result.leftovers.length > 0 ? ` and ${plural(result.leftovers.length, 'leftover temp file')}` : ''}; ${result.kept.length} kept`);
	const alone = remotesLeftAlone(ctx);
	if (alone && !ctx.flags.json) print(ctx, alone);
	if (!reportRemotePrunes(ctx, result.remotes)) throw new CommandError('a remote could not be pruned: what is left there is listed by opsdeck backup list --remote');
	return 0;
}
