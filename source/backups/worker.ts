// The heavy SQLite work of backups (copying every page, sha256, quick_check, row counts) runs in
// worker threads so the console's event loop never stalls on a big file. Each task gets a fresh
// worker running worker-thread/run.ts (its messages: worker-thread/protocol.ts). better-sqlite3 is
// resolved here (beside this module) and handed over as an absolute path, so the worker's cwd does
// not matter and it loads the same native module.
import {createRequire} from 'node:module';
import type {Worker} from 'node:worker_threads';
import {mayStartWorker, trackWorker} from '../system/live-workers.js';
import type {ControlMessage, SettleResult, TaskResult, WorkerData, WorkerMessage, WorkerProgress, WorkerTask} from './worker-thread/protocol.js';

export type {ControlMessage, CopyResult, DrillCheck, DrillPartResult, ForeignKeyProblem, FollowResult, HashResult, InspectResult, SettleResult, SnapshotResult, TableCounts, TaskResult, WorkerProgress, WorkerTask} from './worker-thread/protocol.js';

// The worker's module, beside this one in the tsc build (build/backups/worker-thread/run.js). The
// bundle and the tests run from the TypeScript sources point this exact expression at their own
// build of it (scripts/backup-worker.mjs, which fails loudly if it is not found).
const workerModule = new URL('./worker-thread/run.js', import.meta.url);

let driverPath: string | undefined;
function driver(): string {
	driverPath ??= createRequire(import.meta.url).resolve('better-sqlite3');
	return driverPath;
}

export class WorkerTaskError extends Error {
	constructor(message: string, readonly code: string | undefined) {
		super(message);
		this.name = 'WorkerTaskError';
	}
}

/** A task running in its own worker thread: its result, a way to message it, a way to stop it. */
export type WorkerHandle<T> = {
	readonly result: Promise<T>;
	post(message: ControlMessage): void;
	/** stops the worker; its result rejects if it had not settled */
	stop(): void;
};

/** Runs one task in a fresh worker thread; progress messages arrive on the main thread as they happen. */
export function runWorkerTask<T extends TaskResult>(task: WorkerTask, onProgress?: (progress: WorkerProgress) => void): Promise<T> {
	return startWorkerTask<T>(task, onProgress).result;
}

export function startWorkerTask<T extends TaskResult>(
	task: WorkerTask,
	onProgress?: (progress: WorkerProgress) => void,
	/** lock task: the lock is held */
	onLocked?: (state: SettleResult) => void,
): WorkerHandle<T> {
	let worker: Worker | undefined;
	const result = new Promise<T>((resolve, reject) => {
		if (!mayStartWorker()) {
			reject(new WorkerTaskError('interrupted: no new work starts', 'EINTR'));
			return;
		}
		const data: WorkerData = {task, driver: driver()};
		// (worker_threads required on first use: the console loads this module before its first frame, bench P5)
		const started = new (process.getBuiltinModule('node:worker_threads').Worker)(workerModule, {execArgv: [], workerData: data});
		worker = started;
		trackWorker(started);
		let settled = false;
		const finish = (fn: () => void) => {
			if (settled) return;
			settled = true;
			fn();
			void started.terminate();
		};
		started.on('message', (message: WorkerMessage) => {
			if (message.type === 'progress') onProgress?.({phase: message.phase, totalBytes: message.totalBytes, doneBytes: message.doneBytes, raw: message.raw, fd: message.fd});
			else if (message.type === 'locked' && message.lock) onLocked?.(message.lock);
			else if (message.type === 'done') finish(() => resolve(message.result as T));
			else if (message.type === 'error') finish(() => reject(new WorkerTaskError(message.message ?? 'worker failed', message.code as string | undefined)));
		});
		started.on('error', error => finish(() => reject(error)));
		started.on('exit', code => finish(() => reject(new Error(`backup worker stopped (exit ${code})`))));
	});
	return {
		result,
		post: message => worker?.postMessage(message),
		stop: () => void worker?.terminate(),
	};
}
