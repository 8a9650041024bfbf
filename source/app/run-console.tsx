// The console's life: alternate screen in, render, wait for q / Ctrl-C / a signal, close every
// backend, alternate screen out. The terminal is restored whatever happens (exit safety net).
import {render} from 'ink';
import {closeBackends, type Backends} from '../backends/index.js';
import {startAutoBackups} from '../ops/auto-backups.js';
import {writeError} from '../text/out.js';
import {App} from './app.js';

const enterAlt = '\u001b[?1049h';
const leaveAlt = '\u001b[?1049l\u001b[?25h';
const hardLimitMs = 10_000;

export async function runConsole(backends: Backends): Promise<number> {
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		process.stdout.write(leaveAlt);
	};
	process.on('exit', restore);
	process.stdout.write(enterAlt);

	const instance = render(<App backends={backends} />, {exitOnCtrlC: true, patchConsole: true});

	const onSignal = () => {
		// Whatever hangs (a backend that does not answer), we are gone within the hard limit.
		setTimeout(() => {
			restore();
			process.exit(0);
		}, hardLimitMs).unref();
		instance.unmount();
	};
	for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, onSignal);

	try {
		await instance.waitUntilExit();
	} finally {
		instance.cleanup();
		restore();
		if (backends.config.backupEnabled) {
			// BACKUP_ENABLED: the Backups tab started the schedule; a graceful exit takes one more
			process.stderr.write('opsdeck: taking the shutdown backup…\n');
			const auto = startAutoBackups(backends);
			await auto.stop();
			const last = auto.state();
			writeError(process.stderr, last.lastError ? `shutdown backup failed: ${last.lastError}` : `shutdown backup ${last.lastName ?? ''} done`);
		}
		await closeBackends(backends);
		for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.off(signal, onSignal);
	}
	return 0;
}
