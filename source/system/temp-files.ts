// The temp files an operation is writing right now (a backup's `.NAME.partial`, an export's temp,
// a sidecar's temp): removed when the process is interrupted, so Ctrl-C never leaves hundreds of
// MB behind (issue 13, case 10). Removal is synchronous: it runs in a signal handler right before
// the process exits, and on 'exit' (the console quitting while a backup runs).
import fs from 'node:fs';
import {settleWorkers} from './live-workers.js';

const files = new Set<string>();
/** removed while their operation still ran: it must not finish them (a backup must not be renamed into place) */
const abandoned = new Set<string>();
let abandonedCount = 0;
let reported = false;

/** `file` (and its -wal/-shm/-journal) is ours until forget(): removed if the process is interrupted. */
export function trackTemp(file: string): void {
	files.add(file);
}

/** `file` was renamed into place or removed by its operation. */
export function forgetTemp(file: string): void {
	files.delete(file);
}

/** The operation writing `file` was interrupted (its temp file removed): it must stop, not finish. */
export function wasAbandoned(file: string): boolean {
	return abandoned.has(file);
}

/** Removes every tracked temp file (their operations are abandoned); returns how many existed. */
export function removeTempFiles(): number {
	let removed = 0;
	for (const file of files) {
		abandoned.add(file);
		for (const name of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
			try {
				fs.rmSync(name);
				if (name === file) removed++;
			} catch {
				// not there (never created, or already gone)
			}
		}
	}
	// still tracked: a worker of an abandoned operation may write the file again before it stops
	abandonedCount += removed;
	return removed;
}

// the console interrupted (or quitting) while a backup is still running: said once the screen is back
process.on('exit', () => {
	removeTempFiles();
	if (abandonedCount > 0 && !reported) process.stderr.write(`opsdeck: interrupted: an unfinished backup or export was abandoned and its temp file removed; nothing was changed\n`);
});

export const interruptSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const signalNumbers: Record<(typeof interruptSignals)[number], number> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};

/**
 * Runs a one-shot command's work with SIGINT/SIGTERM/SIGHUP handled: its temp files are removed,
 * one line says what happened (`said()`: "nothing was changed" or what was), and the process exits
 * 128 + the signal's number, as a shell reports a command killed by it.
 */
export async function withInterrupt<T>(stderr: NodeJS.WritableStream, said: () => string, work: () => Promise<T>): Promise<T> {
	let interrupted = false;
	const onSignal = (signal: (typeof interruptSignals)[number]) => {
		// a second Ctrl-C while the workers finish changes nothing: the exit is already on its way
		if (interrupted) return;
		interrupted = true;
		removeTempFiles();
		reported = true;
		stderr.write(`opsdeck: interrupted: ${said()} (${signal})\n`);
		// what the abandoned operation says as it fails (its file is gone) is not news: one line is
		// the whole story
		process.stdout.write = () => true;
		process.stderr.write = () => true;
		// a worker inside better-sqlite3 must finish before the process exits (else V8 aborts it);
		// its temp file is already gone, and anything it wrote meanwhile is removed again
		void settleWorkers(10_000).then(() => {
			removeTempFiles();
			process.exit(128 + signalNumbers[signal]);
		});
	};
	for (const signal of interruptSignals) process.on(signal, onSignal);
	try {
		return await work();
	} finally {
		for (const signal of interruptSignals) process.off(signal, onSignal);
	}
}
