// Worker threads still running. A process that exits (process.exit, or a signal's handler) while
// one is inside better-sqlite3 aborts with "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal": the
// isolate is torn down under a native call. So an interrupted command, and the CLI's own last
// exit, let them finish first. (A module of its own: cli.tsx needs it without loading the worker.)
import type {Worker} from 'node:worker_threads';

const live = new Set<Worker>();
let stopping = false;

/** false once settleWorkers() was called: no new worker starts. */
export function mayStartWorker(): boolean {
	return !stopping;
}

export function trackWorker(worker: Worker): void {
	live.add(worker);
	worker.once('exit', () => live.delete(worker));
}

/**
 * No new worker starts from now on; resolves once every running one has exited (or after
 * timeoutMs). The caller has removed the temp files: what a worker still writes goes to a file
 * nobody will see.
 */
export async function settleWorkers(timeoutMs: number): Promise<void> {
	stopping = true;
	if (live.size === 0) return;
	await new Promise<void>(resolve => {
		const timer = setTimeout(resolve, timeoutMs);
		const check = () => {
			if (live.size > 0) return;
			clearTimeout(timer);
			resolve();
		};
		for (const worker of live) worker.once('exit', () => setImmediate(check));
	});
}
