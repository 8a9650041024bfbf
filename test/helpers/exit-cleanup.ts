// Last-chance cleanup for things a test started outside its own process (redis-servers, pseudo-
// terminals, databases) when the test forgot to stop them or crashed first. vitest ends a forks
// worker with SIGTERM, which skips 'exit' handlers, so the usual signals are covered too.
const cleanups = new Set<() => void>();
const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let installed = false;

function runAll(): void {
	for (const cleanup of [...cleanups]) {
		cleanups.delete(cleanup);
		try {
			cleanup();
		} catch {
			// best effort: keep going
		}
	}
}

function onSignal(signal: NodeJS.Signals): void {
	runAll();
	// Remove ourselves; when nobody else handles the signal, re-raise it for the default action.
	for (const s of signals) process.removeListener(s, onSignal);
	if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/** Runs `cleanup` (synchronous) once at process exit or on SIGTERM/SIGINT/SIGHUP; returns an unregister function. */
export function onProcessExit(cleanup: () => void): () => void {
	if (!installed) {
		installed = true;
		process.on('exit', runAll);
		for (const signal of signals) process.on(signal, onSignal);
	}
	cleanups.add(cleanup);
	return () => cleanups.delete(cleanup);
}
