// Restore a backup over the live data file, so that a crash at any moment leaves the live file
// either the old database or the new one, never a mix, and the app can open what it finds:
//   0. a hidden temp file is made beside the live one with the live file's owner, group and mode
//      (issue 13, case 5): when that cannot be done, refused before anything else;
//   1. the backup is copied into it in a worker thread, every byte hashed as it is copied, and
//      fsynced; those bytes must match the sidecar's sha256 and pass quick_check (case 7: what is
//      installed is what was checked, not a file checked minutes ago). The quick_check runs on the
//      backup file at the same time as the copy, and counts for the copy only if the backup did not
//      change from before the copy to after the check (else the copy itself is checked afterwards);
//      a failed verdict removes the temp file, and nothing else was touched. Before all this, holders
//      of the live file are looked for (refused when there are any, or when they cannot be known:
//      case 6), and meanwhile the live file is described for its safety sidecar;
//   2. the live WAL is folded into the file and the write lock taken and held (case 6: a writer in a
//      transaction is refused; no commit lands between here and the swap), the live file kept as
//      the safety_ backup under its final name (case 9);
//   3. the -wal/-shm/-journal files are removed — an old WAL left beside the new file would be
//      replayed into it — the lock released, then rename(temp → live) (atomic), the last step, and
//      fsync the folder.
// Interrupted (options.signal) before the swap, everything it made is removed and it says
// "interrupted: nothing was changed"; from the swap on it finishes.
import fs from 'node:fs';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {assertReadable, verifyBackup, BackupError, type VerifyResult} from './backups.js';
import {keepSafety, type Safety} from './restore-safety.js';
import {fsyncDir, isLiveFile, readSidecar, writeSidecar} from './files.js';
import {resolveBackupName, restoreTempName, restoreTempPattern, sidecarName} from './names.js';
import {runWorkerTask, startWorkerTask, type CopyResult, type HashResult, type InspectResult, type SettleResult, type TableCounts, type TaskResult, type WorkerHandle, type WorkerProgress, type WorkerTask} from './worker.js';
import {scanHolders, type Holder} from './db-holders.js';
import {ownerText, selfText} from '../system/file-owner.js';
import {MutationRefusedError, runMutation, type MutationRequest} from '../mutations/registry.js';
import {pidAlive} from '../system/pid-alive.js';
import {fsReason} from '../text/fs-reason.js';
import {assertRegularFile} from '../backends/sqlite.js';

export {findHolders, scanHolders, type Holder} from './db-holders.js';

type RestoreConfig = Pick<Config, 'sqlitePath' | 'backupDir' | 'readOnly' | 'auditLog'>;

/** The restore cannot go ahead as asked (exit 2 in a command): nothing was changed. */
export class RestoreRefusedError extends MutationRefusedError {
	constructor(message: string) {
		super(message);
		this.name = 'RestoreRefusedError';
	}
}

/** The restore was stopped (a signal, the operator abandoning it) before the swap: nothing was changed. */
export class RestoreInterruptedError extends Error {
	constructor(readonly reason: string) {
		super(`interrupted (${reason}): nothing was changed`);
		this.name = 'RestoreInterruptedError';
	}
}

export type PlanRow = {readonly table: string; readonly now: number | null | undefined; readonly backup: number | null | undefined};

export type RestorePlan = {
	readonly name: string;
	readonly backupPath: string;
	readonly live: string;
	readonly liveExists: boolean;
	/** why the live file's rows could not be counted (unreadable, corrupt) */
	readonly liveError: string | undefined;
	readonly rows: readonly PlanRow[];
	readonly holders: readonly Holder[];
	/** why the holders cannot be known (the restore is refused without force) */
	readonly holdersUnknown: string | undefined;
	/** the backup verified before anything is asked (undefined when the plan was made with verify: false) */
	readonly verify: VerifyResult | undefined;
};

function planRows(now: TableCounts, backup: TableCounts): PlanRow[] {
	const tables = [...new Set([...Object.keys(now), ...Object.keys(backup)])].sort();
	return tables.map(table => ({table, now: now[table], backup: backup[table]}));
}

async function countLive(live: string): Promise<{tables: TableCounts; error: string | undefined}> {
	if (!fs.existsSync(live)) return {tables: {}, error: undefined};
	try {
		const result = await runWorkerTask<InspectResult>({kind: 'inspect', file: live, counts: true});
		return {tables: result.tables, error: result.error};
	} catch (error) {
		return {tables: {}, error: (error as Error).message};
	}
}

/**
 * Everything the operator is shown before confirming: the backup verified (refused when it fails),
 * the row counts per table now and in the backup, and the processes that hold the live file open.
 * `verify: false` when nothing is asked before the restore (--yes): the restore verifies the backup
 * as it copies it (refusing then, nothing changed), so it is not read twice; the backup's row counts
 * are then the ones its sidecar recorded (counted when there are none).
 */
export async function planRestore(config: Pick<Config, 'sqlitePath' | 'backupDir'>, name: string, options: {readonly verify?: boolean} = {}): Promise<RestorePlan> {
	const backupPath = resolveBackupName(config.backupDir, name);
	if (isLiveFile(backupPath, config.sqlitePath)) throw new RestoreRefusedError(`${name} is the live data file (SQLITE_PATH), not a backup: nothing was changed`);
	const live = config.sqlitePath;
	try {
		// a fifo would block the worker that counts its rows for ever
		assertRegularFile(live);
	} catch (error) {
		throw new RestoreRefusedError(`${(error as Error).message}: nothing was changed`);
	}
	// a backup this user may not read: said as such, not as a failed verification
	const refusedAsIs = (error: unknown) => {
		throw error instanceof BackupError ? new RestoreRefusedError(`${error.message}: nothing was changed`) : error;
	};
	// all at once: the backup verified (sha256 and quick_check, each in a worker), the live file
	// counted, its holders found; only reading, so a failed verification throws away the rest
	const liveExists = fs.existsSync(live);
	const backupSide = options.verify === false
		? Promise.resolve().then(() => assertReadable(backupPath)).then(() => recordedCounts(config.backupDir, name, backupPath)).catch(refusedAsIs)
		: verifyBackup(config, name, {counts: true}).catch(refusedAsIs);
	const [backup, current, scan] = await Promise.all([backupSide, countLive(live), liveExists ? scanHolders(live) : {holders: [], unknown: undefined}]);
	const verify = 'ok' in backup ? backup : undefined;
	if (verify && !verify.ok) throw new RestoreRefusedError(`backup ${name} failed verification (${verify.problems.join('; ')}): nothing was changed`);
	return {name, backupPath, live, liveExists, liveError: current.error, rows: planRows(current.tables, backup.tables), holders: scan.holders, holdersUnknown: scan.unknown, verify};
}

/** the backup's row counts as its sidecar recorded them, else counted now (not verified: the restore does that) */
async function recordedCounts(dir: string, name: string, file: string): Promise<{tables: TableCounts}> {
	const meta = readSidecar(dir, name);
	if (meta?.sha256 && meta.tables && Object.keys(meta.tables).length > 0) return {tables: meta.tables};
	const counted = await runWorkerTask<InspectResult>({kind: 'inspect', file, counts: true}).catch(() => undefined);
	return {tables: counted?.tables ?? {}};
}

/** The one line that refuses a restore for its holders (seen, or not knowable), or undefined. */
export function holdersRefusal(live: string, holders: readonly Holder[], unknown: string | undefined): string | undefined {
	if (holders.length > 0) return `${live} is open in another process (${describeHolders(holders)}): stop it first, or use --force; nothing was changed`;
	if (unknown) return `cannot tell whether another process has ${live} open: ${unknown}; stop the app (or run as root) and use --force; nothing was changed`;
	return undefined;
}

export type RestoreStep = 'copy' | 'verify' | 'safety' | 'swap' | 'check';

export type RestoreResult = {
	readonly name: string;
	readonly live: string;
	/** the safety backup of the state before the restore (undefined when there was no live file) */
	readonly safety: string | undefined;
	/** the quick_check of the bytes installed (as copied into the temp file) */
	readonly check: string;
	readonly durationMs: number;
	/** the restored file's owner, group and mode (those of the file it replaced) */
	readonly owner: string;
	/** what killed restores had left (temp copies beside the live file, links to it), removed by this one */
	readonly removed: readonly string[];
};

export type RestoreOptions = {
	/** go ahead although other processes hold the live file open (or that cannot be known) */
	readonly force?: boolean;
	readonly onStep?: (step: RestoreStep) => void;
	/** the copy's progress (step copy) */
	readonly onCopy?: (doneBytes: number, totalBytes: number) => void;
	/** aborting stops the restore before the swap, removes what it made, and it throws RestoreInterruptedError (the reason: a string) */
	readonly signal?: AbortSignal;
	/** awaited right before the live file is touched: the console holds a restore here while it asks whether to quit */
	readonly beforeCommit?: () => Promise<void>;
};

function describeHolders(holders: readonly Holder[]): string {
	return holders.map(h => `pid ${h.pid}${h.command ? ` (${h.command})` : ''}`).slice(0, 5).join(', ');
}

async function removeFiles(files: readonly string[]): Promise<void> {
	for (const file of files) await fs.promises.rm(file, {force: true});
}

function interruption(signal: AbortSignal | undefined): RestoreInterruptedError | undefined {
	if (!signal?.aborted) return undefined;
	return new RestoreInterruptedError(typeof signal.reason === 'string' ? signal.reason : 'stopped');
}

/** untilAborted's stop for a worker inside better-sqlite3: left to end by itself (see restoreBackup's finally) */
const leaveRunning = () => undefined;

/** A worker's result; an abort stops the worker and rejects at once. */
function untilAborted<T>(result: Promise<T>, stop: () => void, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return result;
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => {
			stop();
			reject(interruption(signal));
		};
		// (handled in every case: a stopped worker's result rejects, and no one else awaits it)
		result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
		if (signal.aborted) return onAbort();
		signal.addEventListener('abort', onAbort, {once: true});
	});
}

/** What a restore of `name` is audited and confirmed as: one text for the op, the commands and the tab. */
export function restoreRequest(config: Pick<Config, 'sqlitePath'>, name: string): MutationRequest {
	return {action: 'restore', target: `${config.sqlitePath} from ${name}`};
}

/** Restores backup `name` over the live data file (through the mutation guard; confirm first). */
export async function restoreBackup(config: RestoreConfig, name: string, options: RestoreOptions = {}): Promise<RestoreResult> {
	const backupPath = resolveBackupName(config.backupDir, name);
	if (isLiveFile(backupPath, config.sqlitePath)) throw new RestoreRefusedError(`${name} is the live data file (SQLITE_PATH), not a backup: nothing was changed`);
	return runMutation(config, restoreRequest(config, name), async () => {
		const started = Date.now();
		const signal = options.signal;
		const stopIfAsked = () => {
			const error = interruption(signal);
			if (error) throw error;
		};
		// the real file: a symlinked data path keeps its symlink, the file it points to is replaced
		const live = realOrSelf(config.sqlitePath);
		const liveStat = await fs.promises.stat(live).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return undefined;
			throw error;
		});
		const dir = path.dirname(live);
		await fs.promises.mkdir(dir, {recursive: true});
		const removed = await removeStaleTemps(dir, path.basename(live));
		const temp = path.join(dir, restoreTempName(live));
		let copier: WorkerHandle<CopyResult> | undefined;
		let hasher: WorkerHandle<HashResult> | undefined;
		let checker: WorkerHandle<InspectResult> | undefined;
		let describer: WorkerHandle<InspectResult> | undefined;
		let locker: WorkerHandle<SettleResult> | undefined;
		let lock: WorkerHandle<SettleResult> | undefined;
		let safety: Safety | undefined;
		let swapped = false;
		// the restore is over (no worker starts any more)
		let ended = false;
		// step 1's workers were told to go
		let told = false;
		const release = async () => {
			if (!lock) return;
			const held = lock;
			lock = undefined;
			held.post({type: 'release'});
			await held.result.catch(() => undefined);
		};
		try {
			stopIfAsked();
			// who holds the live file (refused before anything is made, unless forced)
			const scan = liveStat && !options.force ? await scanHolders(live) : {holders: [], unknown: undefined};
			const refusal = holdersRefusal(live, scan.holders, scan.unknown);
			if (refusal) throw new RestoreRefusedError(refusal);
			// 0. the temp file, with the owner and mode the app expects (refused here when not possible)
			await makeTemp(temp, live, liveStat);

			// 1. the copy, hashed as it is copied, and at the same time the backup quick_checked where it
			//    is and the live file described for its safety sidecar: the temp file is not the live
			//    one, only the swap waits for the verdict (a refusal removes the temp, nothing else)
			options.onStep?.('copy');
			// The workers of step 1, each told to wait for a 'go' until the files' keys are taken. (Started
			// before the holders' scan instead, their start-ups took the CPU the scan needed: the step
			// came 100-185 ms after the plan instead of 23-35 ms, no gain end to end.)
			const go = <T extends TaskResult>(task: WorkerTask, onProgress?: (progress: WorkerProgress) => void) => {
				const handle = startWorkerTask<T>({...task, waitForGo: true}, onProgress);
				handle.result.catch(() => undefined);
				return handle;
			};
			// (in the order they matter: the copy and its fsync are the longest chain, the others CPU)
			copier = go<CopyResult>({kind: 'copy', source: backupPath, dest: temp, hash: false}, progress => {
				if (progress.phase === 'copy' && progress.totalBytes !== undefined) options.onCopy?.(progress.doneBytes ?? 0, progress.totalBytes);
			});
			// the copy's bytes hashed as they land in the temp file, by a second worker (in the copy's own
			// thread the hash would double its time); its length is given with its 'go'
			hasher = go<HashResult>({kind: 'hash', file: temp, growing: true});
			// the backup's bytes as SQLite reads them are its bytes as copied only without a -wal beside it;
			// in a folder SQLite cannot write to, it could open a WAL-mode backup only by reading it into
			// memory: the copy is checked instead, afterwards
			const checkInPlace = !hasJournal(backupPath) && await writable(path.dirname(backupPath));
			checker = checkInPlace ? go<InspectResult>({kind: 'inspect', file: backupPath, check: 'quick'}) : undefined;
			describer = liveStat ? go<InspectResult>({kind: 'inspect', file: live, hash: true, counts: true}) : undefined;

			// (each file's key taken before its worker reads it: compared again afterwards)
			const liveBefore = liveStat ? await fileKey(live) : undefined;
			const backupBefore = checker ? await fileKey(backupPath) : undefined;
			const expected = (await fs.promises.stat(backupPath)).size;
			told = true;
			copier.post({type: 'go'});
			hasher.post({type: 'go', bytes: expected});
			if (backupBefore) checker?.post({type: 'go'});
			else {
				checker?.stop();
				checker = undefined;
			}
			describer?.post({type: 'go'});
			const described = describer?.result;
			// the worker that takes the write lock in step 2, started as soon as one of these four is
			// done (its thread's start-up then takes a core that task gave back, not one the others
			// need) and told to go in step 2, once the description's reads are over: started after the
			// verdict, its start-up was the one serial wait before the swap (~50 ms)
			let held: (state: SettleResult) => void = () => undefined;
			const heldNow = new Promise<SettleResult>(resolve => (held = resolve));
			const startLocker = () => {
				if (locker || !liveStat || ended) return;
				locker = startWorkerTask<SettleResult>({kind: 'lock', file: live, busyTimeoutMs: 250, waitForGo: true}, undefined, state => held(state));
				locker.result.catch(() => undefined);
			};
			for (const task of [copier, hasher, checker, describer]) task?.result.then(startLocker, () => undefined);
			const written = await untilAborted(copier.result, copier.stop, signal);
			if (written.sizeBytes !== expected) {
				// the backup changed length meanwhile: its copy is hashed as it is now (and then compared)
				hasher.stop();
				hasher = startWorkerTask<HashResult>({kind: 'hash', file: temp, bytes: written.sizeBytes});
			}
			const hashed = await untilAborted(hasher.result, hasher.stop, signal);
			const copied = {sha256: hashed.sha256, sizeBytes: written.sizeBytes};
			options.onStep?.('verify');
			const meta = readSidecar(config.backupDir, name);
			// the verdict is recorded in the sidecar, as `backup verify` does (best effort: a read-only
			// folder does not stop a restore)
			const record = async (error?: string) => {
				if (meta) await writeSidecar(config.backupDir, {...meta, verified: {at: new Date().toISOString(), ok: !error, mode: 'quick', ...(error ? {error} : {})}}).catch(() => undefined);
			};
			const refuse = async (why: string) => {
				await record(why);
				return new RestoreRefusedError(`backup ${name} ${why}: nothing was changed`);
			};
			if (meta?.sha256 && (copied.sha256 !== meta.sha256 || copied.sizeBytes !== meta.sizeBytes)) {
				throw await refuse(`does not match its recorded sha256 as copied (${copied.sizeBytes} bytes, ${meta.sizeBytes} recorded): it changed since it was taken`);
			}
			let checked = checker ? await untilAborted(checker.result, leaveRunning, signal) : undefined;
			// the quick_check read the bytes that were copied only if the backup did not change from
			// before the copy began to after the check ended (a write moves its mtime and ctime);
			// else, with a -wal beside it, or when SQLite could not open it there, the copy itself is
			// checked now
			if (!checked || checked.error || backupBefore !== await fileKey(backupPath)) {
				checker = startWorkerTask<InspectResult>({kind: 'inspect', file: temp, check: 'quick'});
				checked = await untilAborted(checker.result, leaveRunning, signal);
			}
			if (checked.error) throw await refuse(`cannot be read by SQLite as copied (${checked.error})`);
			if (checked.check !== 'ok') throw await refuse(`failed quick_check as copied (${checked.check ?? 'no answer'})`);
			if (checked.pageCount * checked.pageSize !== copied.sizeBytes) throw await refuse(`is ${copied.sizeBytes} bytes as copied, its pages say ${checked.pageCount * checked.pageSize}`);
			const recorded = record();
			// (before the lock below opens the live file: the two must not overlap)
			const liveInfo = await described?.catch(() => undefined);
			if (options.beforeCommit) await untilAborted(options.beforeCommit(), () => undefined, signal);
			stopIfAsked();

			// 2. the write lock taken and held, the WAL folded in, the live file kept as the safety backup
			startLocker();
			if (liveStat && locker) {
				options.onStep?.('safety');
				const handle: WorkerHandle<SettleResult> = locker;
				lock = handle;
				handle.post({type: 'go'});
				const state = await untilAborted(Promise.race([heldNow, handle.result]), handle.stop, signal);
				if (state.busy) {
					throw new RestoreRefusedError(`${live} is being written to (another connection holds a write transaction): stop the app first (--force does not override this); nothing was changed`);
				}
				// (not locked and not busy: SQLite cannot open it, maybe why it is restored; its raw bytes are kept)
				// the description holds only if the file is what was described: folding the WAL in did
				// not change it, nor did anything else meanwhile (same inode, size, mtime, ctime)
				const unchanged = !state.changed && liveBefore !== undefined && liveBefore === await fileKey(live);
				const known = unchanged && !liveInfo?.error ? liveInfo : undefined;
				removed.push(...await removeAliases(config.backupDir, live));
				safety = await keepSafety(config, live, {linkable: state.locked && state.checkpointed && !state.error, known});
				stopIfAsked();
			}

			// 3. the swap, the last step: stale WAL files out first (an old WAL would be replayed into
			//    the new file), the lock released, then rename
			options.onStep?.('swap');
			await removeFiles([`${live}-wal`, `${live}-shm`, `${live}-journal`]);
			await release();
			await fs.promises.rename(temp, live);
			swapped = true;
			await fsyncDir(dir);

			// 4. the file in place is the one copied, with the owner and mode the app had
			options.onStep?.('check');
			const [after] = await Promise.all([fs.promises.stat(live), safety?.describe(), recorded]);
			const owner = ownerText(after);
			if (after.size !== copied.sizeBytes) throw new BackupError(`the restored file is ${after.size} bytes, ${copied.sizeBytes} were copied`);
			if (liveStat && owner !== ownerText(liveStat)) throw new BackupError(`the restored file is ${owner}, the file it replaced was ${ownerText(liveStat)}`);
			return {name, live, safety: safety?.name, check: checked.check, durationMs: Date.now() - started, owner, removed};
		} finally {
			ended = true;
			copier?.stop();
			hasher?.stop();
			// the check and the description are left to end by themselves once told to go (their results
			// unused): a worker is never terminated inside better-sqlite3, where an error SQLite raises
			// while the thread is being terminated aborts the whole process ("FATAL ERROR:
			// v8::ToLocalChecked Empty MaybeLocal"; the CLI waits for them at exit, settleWorkers)
			if (!told) {
				checker?.stop();
				describer?.stop();
			}
			await release();
			// (started but never told to go: nothing to release)
			locker?.stop();
			if (!swapped) await safety?.abandon().catch(() => undefined);
			await removeFiles([temp, `${temp}-wal`, `${temp}-shm`, `${temp}-journal`]).catch(() => undefined);
		}
	});
}

/**
 * The temp file the backup is copied into, made with the live file's owner, group and mode before
 * anything is copied (issue 13, case 5): the app that runs as that owner must open what it finds.
 * No live file: 0644 (less the umask), as the app would create it.
 */
async function makeTemp(temp: string, live: string, liveStat: fs.Stats | undefined): Promise<void> {
	await fs.promises.rm(temp, {force: true});
	const handle = await fs.promises.open(temp, 'wx', liveStat ? 0o600 : 0o644);
	try {
		if (!liveStat) return;
		try {
			await handle.chown(liveStat.uid, liveStat.gid);
			await handle.chmod(liveStat.mode & 0o7777);
		} catch (error) {
			const self = selfText();
			throw new RestoreRefusedError(`cannot give the restored file the owner and mode of ${live}, ${ownerText(liveStat)} (${fsReason(error) ?? 'error'}${self ? `, opsdeck runs as ${self}` : ''}): run the restore as root or as that owner; nothing was changed`);
		}
	} finally {
		await handle.close();
	}
}

async function writable(dir: string): Promise<boolean> {
	return fs.promises.access(dir, fs.constants.W_OK).then(() => true, () => false);
}

/** a -wal (or -journal) beside the file: SQLite reads it as more than the file's own bytes */
function hasJournal(file: string): boolean {
	return ['-wal', '-journal'].some(suffix => {
		try {
			return fs.statSync(file + suffix).size > 0;
		} catch {
			return false;
		}
	});
}

/** identity and last change of a file: equal keys, same bytes (as far as the filesystem tells) */
async function fileKey(file: string): Promise<string | undefined> {
	try {
		const st = await fs.promises.stat(file, {bigint: true});
		return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
	} catch {
		return undefined;
	}
}

function realOrSelf(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return path.resolve(file);
	}
}

/**
 * A restore killed between keeping the safety backup (a hard link) and the swap leaves a safety_
 * name on the live file's own inode: it would change with every write of the app. It holds nothing
 * the live file does not, so the next restore removes that name (and its sidecar) and says so.
 */
async function removeAliases(backupDir: string, live: string): Promise<string[]> {
	const removed: string[] = [];
	const liveStat = await fs.promises.stat(live).catch(() => undefined);
	if (!liveStat || liveStat.nlink < 2) return removed;
	for (const name of await fs.promises.readdir(backupDir).catch(() => [] as string[])) {
		if (!name.startsWith('safety_') || !name.endsWith('.db')) continue;
		const st = await fs.promises.lstat(path.join(backupDir, name)).catch(() => undefined);
		if (!st || st.dev !== liveStat.dev || st.ino !== liveStat.ino) continue;
		await fs.promises.rm(path.join(backupDir, name), {force: true});
		await fs.promises.rm(path.join(backupDir, sidecarName(name)), {force: true});
		removed.push(`${name} (a link to the live file a killed restore had left)`);
	}
	if (removed.length > 0) await fsyncDir(backupDir);
	return removed;
}

/**
 * Temp copies left by a restore that was killed (its process is gone): a copy of a backup that
 * never replaced anything. Removed by the next restore, which says so (their names in the result).
 */
async function removeStaleTemps(dir: string, base: string): Promise<string[]> {
	const pattern = restoreTempPattern(base);
	const removed: string[] = [];
	for (const name of await fs.promises.readdir(dir).catch(() => [] as string[])) {
		const m = pattern.exec(name);
		if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) {
			await fs.promises.rm(path.join(dir, name), {force: true}).then(() => removed.push(`${name} (the temp copy of a killed restore)`), () => undefined);
		}
	}
	return removed;
}
