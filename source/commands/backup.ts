// opsdeck backup create | list [--remote] | verify NAME [--integrity] | restore NAME [--from REMOTE] [--yes] [--force] | prune [--manual] [--dry-run] [--yes] | delete NAME [--from REMOTE] [--yes] | drill [NAME|--newest] [--remote]
// Human text by default, --json for JSON. Destructive ones (restore, prune, delete) ask y/N on a
// terminal, need --yes without one, and are refused in read-only mode before anything is asked.
import {deleteBackup, keepText, listBackups, listLeftovers, readBackupFolder, verifyBackup, BackupDirError, BackupError, BackupNameError, type BackupEntry} from '../backups/backups.js';
import {auditRefusal} from '../mutations/registry.js';
import {withInterrupt} from '../system/temp-files.js';
import {holdersRefusal, planRestore, restoreBackup, restoreRequest, RestoreInterruptedError, RestoreRefusedError, type RestorePlan, type RestoreResult} from '../backups/restore.js';
import {formatBytes, formatCount, formatDateTime, formatDuration, plural} from '../text/format.js';
import {sanitize} from '../text/sanitize.js';
import {CommandError, confirm, print, printJson, UsageError, warn, type CommandContext} from './shared.js';
import {runBackupJob, BackupJobError} from '../backups/remote/job.js';
import {deleteRemote, fetchForRestore, listRemote, remoteErrors, reportJob, shipSafety} from './backup-remote.js';
import {leftoverLine, prune} from './backup-prune.js';
import {drill} from './backup-drill.js';

export const usage = 'usage: opsdeck backup create | list [--remote] | verify NAME | restore NAME [--from REMOTE] [--yes] [--force] | prune [--manual] [--dry-run] | delete NAME [--from REMOTE] | drill [NAME|--newest] [--remote]';

function entryJson(e: BackupEntry) {
	return {
		name: e.name,
		kind: e.kind,
		sizeBytes: e.sizeBytes,
		createdAt: new Date(e.createdAt).toISOString(),
		verified: e.verified,
		// what the sidecar says that is not believed (issue 14, point 6)
		...(e.claims ? {claims: e.claims} : {}),
		...(e.sidecarError ? {sidecarError: e.sidecarError} : {}),
		sha256: e.meta?.sha256,
		tables: e.meta?.tables,
		// the last restore drill of it, as its sidecar records it (issue 19)
		...(e.meta?.drill ? {drill: e.meta.drill} : {}),
		path: e.path,
	};
}

function verifiedText(e: Pick<BackupEntry, 'verified' | 'claims' | 'sidecarError'>): string {
	// a sidecar this user cannot read may well record a verification: not known, not "no" (defect 10)
	if (!e.verified && e.sidecarError) return 'unknown (sidecar unreadable)';
	if (!e.verified) return e.claims?.some(c => c.includes('"verified ok"')) ? 'no (sidecar claims ok)' : 'no';
	return e.verified.ok ? `ok ${e.verified.at.slice(0, 16).replace('T', ' ')}` : 'FAILED';
}

function nameArg(ctx: CommandContext, verb: string): string {
	const name = ctx.args[1];
	if (name === undefined) throw new UsageError(`backup ${verb} needs a backup NAME (see \`opsdeck backup list\`)`);
	if (ctx.args.length > 2) throw new UsageError(`backup ${verb} takes one NAME; ${usage}`);
	return name;
}

/** A progress bar on stderr while it runs, only when stderr is a terminal and output is for people. */
function progressPrinter(ctx: CommandContext): ((ratio: number) => void) | undefined {
	if (ctx.flags.json || !ctx.stderr.isTTY) return undefined;
	let last = -1;
	return ratio => {
		const pct = Math.floor(ratio * 100);
		if (pct === last) return;
		last = pct;
		const width = 30;
		const filled = Math.round(ratio * width);
		ctx.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%${pct >= 100 ? '\n' : ''}`);
	};
}

async function create(ctx: CommandContext): Promise<number> {
	if (ctx.args.length > 1) throw new UsageError(`backup create takes no NAME (names are given automatically); ${usage}`);
	const started = Date.now();
	const progress = progressPrinter(ctx);
	let created: string | undefined;
	const said = () => (created ? `backup ${created} was made but not verified (opsdeck backup verify ${created})` : 'nothing was changed (no partial backup left)');
	// heartbeat /start, snapshot, quick_check, uploads to BACKUP_REMOTE, heartbeat success or /fail
	const job = await withInterrupt(ctx.stderr, said, () => runBackupJob(ctx.config, {kind: 'manual', onProgress: progress ? r => progress(r) : undefined, onCreated: name => (created = name)})).catch((error: unknown) => {
		if (error instanceof BackupJobError) {
			reportJob(ctx, undefined, error.pingFailures);
			throw error.cause;
		}
		throw error;
	});
	const {entry, verify} = job;
	const ms = Date.now() - started;
	if (ctx.flags.json) {
		printJson(ctx, {...entryJson({...entry, verified: verify.verified}), durationMs: ms, ...(job.ship ? {offsite: job.ship} : {}), ...(job.pingFailures.length > 0 ? {heartbeat: job.pingFailures} : {})});
	} else {
		const tables = Object.keys(entry.meta?.tables ?? {}).length;
		print(ctx, `created ${entry.name} (${formatBytes(entry.sizeBytes)}, ${plural(tables, 'table')}, quick_check ${verify.ok ? 'ok' : 'FAILED'}) in ${formatDuration(ms)}`);
		print(ctx, `folder: ${ctx.config.backupDir}`);
	}
	reportJob(ctx, job.ship, job.pingFailures);
	return job.ok ? 0 : 1;
}

async function list(ctx: CommandContext): Promise<number> {
	if (ctx.flags.remote) return listRemote(ctx);
	const [{backups: entries, refused}, leftovers] = await Promise.all([readBackupFolder(ctx.config.backupDir, Date.now(), ctx.config.sqlitePath), listLeftovers(ctx.config)]);
	if (ctx.flags.json) {
		printJson(ctx, {
			dir: ctx.config.backupDir,
			retention: ctx.config.backupRetention,
			backups: entries.map(entryJson),
			refused,
			leftovers: leftovers.map(l => ({name: l.name, path: l.path, what: l.what, sizeBytes: l.sizeBytes, modifiedAt: new Date(l.modifiedAt).toISOString(), inProgress: l.inProgress})),
		});
		return 0;
	}
	const printLeftovers = () => {
		for (const r of refused) print(ctx, `refused: ${sanitize(r.name)} is ${r.reason} (never used)`);
		if (leftovers.length === 0) return;
		print(ctx, `left by interrupted operations (opsdeck backup prune removes them, all but a safety partial):`);
		for (const l of leftovers) print(ctx, `  ${leftoverLine(l)}`);
	};
	if (entries.length === 0) {
		print(ctx, `no backups in ${ctx.config.backupDir} (opsdeck backup create takes one)`);
		printLeftovers();
		return 0;
	}
	const width = Math.max(4, ...entries.map(e => sanitize(e.name).length));
	print(ctx, `${'NAME'.padEnd(width)}  KIND    ${'SIZE'.padStart(9)}  CREATED (UTC)        VERIFIED`);
	for (const e of entries) {
		print(ctx, `${sanitize(e.name).padEnd(width)}  ${e.kind.padEnd(6)}  ${formatBytes(e.sizeBytes).padStart(9)}  ${formatDateTime(e.createdAt)}  ${verifiedText(e)}`);
		for (const claim of e.claims ?? []) print(ctx, `${' '.repeat(width)}  ${sanitize(claim)}`);
	}
	print(ctx, `${plural(entries.length, 'backup')} in ${ctx.config.backupDir} (keep ${keepText(ctx.config)} automatic; manual ones until prune --manual)`);
	printLeftovers();
	return 0;
}

async function verify(ctx: CommandContext): Promise<number> {
	const name = nameArg(ctx, 'verify');
	const result = await withInterrupt(ctx.stderr, () => 'nothing was changed', () => verifyBackup(ctx.config, name, {mode: ctx.flags.integrity ? 'integrity' : 'quick'}));
	if (ctx.flags.json) printJson(ctx, result);
	else if (result.ok) print(ctx, `${sanitize(name)}: ok (${result.mode === 'integrity' ? 'integrity_check' : 'quick_check'}${result.checksumOk ? ', sha256 matches' : ', no recorded sha256 to compare'})`);
	else print(ctx, `${sanitize(name)}: FAILED: ${sanitize(result.problems.join('; '))}`);
	if (result.notRecorded && !ctx.flags.json) warn(ctx, `the result is not recorded in the sidecar: ${sanitize(result.notRecorded)}`);
	return result.ok ? 0 : 1;
}

function planLines(plan: RestorePlan): string[] {
	const lines = [`restore ${plan.live} from ${plan.name}`];
	if (!plan.liveExists) lines.push('(there is no live file now)');
	if (plan.liveError) lines.push(`the live file cannot be read now: ${plan.liveError}`);
	const width = Math.max(5, ...plan.rows.map(r => sanitize(r.table).length));
	lines.push(`${'TABLE'.padEnd(width)}  ${'NOW'.padStart(12)}  ${'BACKUP'.padStart(12)}`);
	for (const row of plan.rows) lines.push(`${sanitize(row.table).padEnd(width)}  ${formatCount(row.now ?? undefined).padStart(12)}  ${formatCount(row.backup ?? undefined).padStart(12)}`);
	if (plan.holders.length > 0) lines.push(`open in: ${plan.holders.map(h => `pid ${h.pid}${h.command ? ` (${sanitize(h.command)})` : ''}`).join(', ')}`);
	if (plan.holdersUnknown) lines.push(`cannot tell which processes have it open: ${plan.holdersUnknown}`);
	lines.push('a safety_ backup of the live file is taken first');
	return lines;
}

const signalNumbers = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;

/**
 * Runs the restore with SIGINT/SIGTERM/SIGHUP caught (issue 13, case 10): a signal before the swap
 * stops it, its temp files are removed, "interrupted: nothing was changed", exit 128 + the signal's
 * number; from the swap on it finishes and says so.
 */
async function restoreInterruptible(ctx: CommandContext, name: string): Promise<{result?: RestoreResult; signal?: keyof typeof signalNumbers}> {
	const controller = new AbortController();
	let caught: keyof typeof signalNumbers | undefined;
	const handlers = (Object.keys(signalNumbers) as (keyof typeof signalNumbers)[]).map(signal => {
		const handler = () => {
			caught ??= signal;
			controller.abort(signal);
		};
		process.on(signal, handler);
		return () => process.off(signal, handler);
	});
	try {
		const result = await restoreBackup(ctx.config, name, {force: ctx.flags.force ?? false, signal: controller.signal});
		return {result, signal: caught};
	} catch (error) {
		if (error instanceof RestoreInterruptedError) return {signal: caught};
		throw error;
	} finally {
		for (const off of handlers) off();
	}
}

async function restore(ctx: CommandContext): Promise<number> {
	// --from REMOTE: downloaded and verified into the backup folder first, then restored as any other
	const name = ctx.flags.from === undefined ? nameArg(ctx, 'restore') : await fetchForRestore(ctx, nameArg(ctx, 'restore'));
	// read-only: refused (and audited) before anything is checked or asked
	if (ctx.config.readOnly) await restoreBackup(ctx.config, name);
	// --yes: nothing is asked, so the restore's own verification (as it copies) is the only one
	const plan = await planRestore(ctx.config, name, {verify: !ctx.flags.yes});
	const refusal = ctx.flags.force ? undefined : holdersRefusal(plan.live, plan.holders, plan.holdersUnknown);
	if (refusal) {
		auditRefusal(ctx.config, restoreRequest(ctx.config, name), refusal);
		throw new UsageError(refusal);
	}
	if (!ctx.flags.json) for (const line of planLines(plan)) print(ctx, line);
	await confirm(ctx, restoreRequest(ctx.config, name), `Restore ${plan.live} from ${name}?`);
	const {result, signal} = await restoreInterruptible(ctx, name);
	if (!result) {
		warn(ctx, `interrupted (${signal ?? 'stopped'}): nothing was changed`);
		return 128 + signalNumbers[signal ?? 'SIGINT'];
	}
	for (const left of result.removed) warn(ctx, `removed ${sanitize(left)}`);
	await shipSafety(ctx, result.safety);
	if (ctx.flags.json) printJson(ctx, {...result, plan: {rows: plan.rows, holders: plan.holders}});
	else print(ctx, `restored ${result.live} from ${name} in ${formatDuration(result.durationMs)} (quick_check ${result.check}); the state before is in ${result.safety ?? '(no live file before)'}; owner ${result.owner}`);
	if (signal) {
		warn(ctx, `interrupted (${signal}) at the swap: the restore was finished`);
		return 128 + signalNumbers[signal];
	}
	return 0;
}


async function remove(ctx: CommandContext): Promise<number> {
	const name = nameArg(ctx, 'delete');
	if (ctx.flags.from !== undefined) return deleteRemote(ctx, name);
	if (ctx.config.readOnly) await deleteBackup(ctx.config, name);
	const entry = (await listBackups(ctx.config.backupDir, ctx.config.sqlitePath)).find(e => e.name === name);
	await confirm(ctx, {action: 'delete-backup', target: entry?.path ?? name}, `Delete backup ${name}${entry ? ` (${entry.kind}, ${formatBytes(entry.sizeBytes)}, ${formatDateTime(entry.createdAt)})` : ''}?`);
	await deleteBackup(ctx.config, name);
	if (ctx.flags.json) printJson(ctx, {deleted: name});
	else print(ctx, `deleted ${sanitize(name)}`);
	return 0;
}

const verbs: Record<string, (ctx: CommandContext) => Promise<number>> = {create, list, verify, restore, prune, delete: remove, drill};

export async function run(ctx: CommandContext): Promise<number> {
	const verb = ctx.args[0];
	const fn = verb === undefined ? undefined : verbs[verb];
	if (!fn) throw new UsageError(verb === undefined ? usage : `unknown backup command "${sanitize(verb).slice(0, 40)}"; ${usage}`);
	if (ctx.flags.dryRun && verb !== 'prune') throw new UsageError(`--dry-run goes with backup prune, not backup ${verb}`);
	if (ctx.flags.newest && verb !== 'drill') throw new UsageError(`--newest goes with backup drill, not backup ${verb}`);
	try {
		return await remoteErrors(() => fn(ctx));
	} catch (error) {
		if (error instanceof BackupNameError || error instanceof RestoreRefusedError || error instanceof BackupDirError) throw new UsageError(error.message);
		if (error instanceof BackupError) throw new CommandError(error.message);
		throw error;
	}
}
