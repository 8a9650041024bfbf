// Tiered retention of the remote copies (issue 19): BACKUP_REMOTE_KEEP (default BACKUP_KEEP) applied
// to each remote's backups on their own, by `backup prune` (and shown by its --dry-run). The same
// planner as the local folder (retention.ts applyRetention) over a store made of the remote's
// listing and delete; the deletes go through the mutation guard as `delete-remote-backup` (refused
// read-only, audited), one guarded batch per remote. Manual backups are kept apart as locally:
// never counted nor removed, unless --manual (then planned on their own). Files opsdeck did not name
// are never touched. Without BACKUP_REMOTE_KEEP or BACKUP_KEEP the remote copies are left alone.
import type {Config} from '../../config/config.js';
import {runMutation} from '../../mutations/registry.js';
import {errorMessage} from '../../text/mask.js';
import {parseBackupName} from '../names.js';
import {applyRetention, type KeptBy, type RetentionResult, type RetentionRules} from '../retention.js';
import {assertRemoteName, openRemote, remoteReason, type Remote, type RemoteConfig} from './remote.js';
import type {RemoteSpec} from './spec.js';

type RemotePruneConfig = RemoteConfig & Pick<Config, 'backupRemotes' | 'backupRemoteKeep' | 'readOnly' | 'auditLog'>;

export type RemoteKept = {readonly name: string; readonly time: number; readonly manual: boolean; readonly keptBy: readonly KeptBy[]};

export type RemotePrune = {
	/** the remote's id */
	readonly remote: string;
	/** newest first, each with the rules that keep it */
	readonly keep: readonly RemoteKept[];
	/** what the rules drop (a dry run: what would be deleted), newest first */
	readonly drop: readonly {readonly name: string; readonly time: number; readonly manual: boolean}[];
	/** deleted (empty in a dry run) */
	readonly deleted: readonly string[];
	/**
	 * why this remote could not be listed or pruned (the rest of it is left as it was), whole
	 * (`s3://b/p/: cannot list: …`), one masked line: JSON's `error`
	 */
	readonly error?: string;
	/** the same without the remote's id (remoteReason), for a reader that names the remote itself */
	readonly reason?: string;
};

function store(remote: Remote, group: 'all' | 'automatic' | 'manual') {
	return {
		async list() {
			const entries = [];
			for (const object of await remote.list()) {
				const parsed = parseBackupName(object.name);
				// not a name opsdeck gives: never planned, never deleted
				if (!parsed) continue;
				const manual = parsed.kind === 'manual';
				if ((group === 'automatic' && manual) || (group === 'manual' && !manual)) continue;
				entries.push({name: object.name, time: parsed.createdAt.getTime(), manual: group === 'all' && manual});
			}
			return entries;
		},
		async delete(name: string) {
			assertRemoteName(name);
			await remote.delete(name);
		},
	};
}

function merge(remote: string, results: readonly RetentionResult[], failure?: {readonly error: string; readonly reason: string}): RemotePrune {
	const newest = (a: {time: number; name: string}, b: {time: number; name: string}) => b.time - a.time || b.name.localeCompare(a.name);
	return {
		remote,
		keep: results.flatMap(r => r.keep.map(k => ({...k.entry, keptBy: k.keptBy}))).sort(newest),
		drop: results.flatMap(r => r.drop).sort(newest),
		deleted: results.flatMap(r => r.deleted),
		...(failure ?? {}),
	};
}

/** One remote: plans (and unless a dry run, deletes) its copies by `rules`. A read-only refusal throws; any other failure is the result's error. */
export async function pruneRemote(config: RemotePruneConfig, spec: RemoteSpec, rules: RetentionRules, options: {readonly dryRun?: boolean; readonly manual?: boolean} = {}): Promise<RemotePrune> {
	const results: RetentionResult[] = [];
	const guard = (what: string, work: () => Promise<void>) => runMutation(config, {action: 'delete-remote-backup', target: `${spec.id}: ${what}${options.manual ? ', manual ones counted apart' : ''}`}, work);
	let remote: Remote | undefined;
	try {
		remote = await openRemote(config, spec);
		const groups = options.manual ? (['automatic', 'manual'] as const) : (['all'] as const);
		for (const group of groups) results.push(await applyRetention(store(remote, group), rules, {dryRun: options.dryRun ?? false, guard}));
		return merge(spec.id, results);
	} catch (error) {
		if ((error as Error).name === 'ReadOnlyError' || (error as Error).name === 'AuditError') throw error;
		return merge(spec.id, results, {error: errorMessage(error), reason: remoteReason(error)});
	} finally {
		await remote?.close().catch(() => undefined);
	}
}

/** Every BACKUP_REMOTE by BACKUP_REMOTE_KEEP; [] when no rules are set (the remote copies are left alone). */
export async function pruneRemotes(config: RemotePruneConfig, options: {readonly dryRun?: boolean; readonly manual?: boolean} = {}): Promise<RemotePrune[]> {
	const rules = config.backupRemoteKeep;
	if (!rules) return [];
	const done: RemotePrune[] = [];
	for (const spec of config.backupRemotes) done.push(await pruneRemote(config, spec, rules, options));
	return done;
}
