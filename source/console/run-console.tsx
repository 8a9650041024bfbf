// The console's life: alternate screen (and bracketed paste) in, render, wait for q / Ctrl-C / a signal, close every
// backend, alternate screen out. The terminal is restored whatever happens (exit safety net).
// A restore in progress is never dropped by quitting (issue 13, case 8): q / Ctrl-C ask (app.tsx),
// a signal abandons it (it removes its temp file; past its point of no return it finishes) and the
// console waits for it; how it ended is printed after the screen is restored.
import {render} from 'ink';
import {closeBackends, type Backends} from '../backends/index.js';
import {startAutoBackups} from '../backups/auto.js';
import {removeTempFiles} from '../system/temp-files.js';
import {mask} from '../text/mask.js';
import {sanitize} from '../text/sanitize.js';
import {writeError} from '../text/out.js';
import {App} from './app.js';
import type {ProfileLoader} from './frame/use-environment.js';
import {applyColourMode} from './colour.js';
import {currentWork, quitNote, setQuitNote} from './work-in-progress.js';
import {keepYoungGenerationSmall} from './young-generation.js';

// with bracketed paste on: the terminal marks a paste (ESC [200~ … ESC [201~), so its text is
// never read as keys (input/router.ts); off again with the alternate screen, on every way out
const enterAlt = '\u001b[?1049h\u001b[?2004h';
const leaveAlt = '\u001b[?2004l\u001b[?1049l\u001b[?25h';
const hardLimitMs = 10_000;

export async function runConsole(first: Backends, loadProfile?: ProfileLoader): Promise<number> {
	// the environment on screen: P may switch it (the old one is closed by the switch)
	let backends = first;
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		process.stdout.write(leaveAlt);
	};
	process.on('exit', restore);
	// NO_COLOR / --no-color / THEME: before the first frame
	applyColourMode(backends.config);
	process.stdout.write(enterAlt);

	// (Ctrl-C is a key the App handles: during a restore it asks instead of quitting)
	const instance = render(<App backends={first} loadProfile={loadProfile} onSwitch={next => (backends = next)} />, {exitOnCtrlC: false, patchConsole: true});
	// once the first frame is drawn (its burst of allocations may grow the young generation a little)
	keepYoungGenerationSmall();

	const onSignal = (signal: NodeJS.Signals) => {
		// a backup in progress (n) is abandoned at once: its partial file goes now, not at exit
		removeTempFiles();
		// Whatever hangs (a backend that does not answer), we are gone within the hard limit.
		setTimeout(() => {
			restore();
			process.exit(0);
		}, hardLimitMs).unref();
		const work = currentWork();
		if (!work) return instance.unmount();
		work.abandon(signal);
		void work.done.then(line => {
			setQuitNote(line);
			instance.unmount();
		});
	};
	for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, onSignal);

	try {
		await instance.waitUntilExit();
		// (any other way out: the work is abandoned, not dropped)
		const work = currentWork();
		if (work) {
			work.abandon('quit');
			setQuitNote(await work.done);
		}
	} finally {
		instance.cleanup();
		restore();
		const note = quitNote();
		if (note) process.stderr.write(`opsdeck: ${sanitize(mask(note))}\n`);
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
