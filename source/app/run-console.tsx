// The console's life: alternate screen in, render, wait for q / Ctrl-C / a signal, close every
// backend, alternate screen out. The terminal is restored whatever happens (exit safety net).
import {render} from 'ink';
import {closeBackends, type Backends} from '../backends/index.js';
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
		await closeBackends(backends);
		restore();
		for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.off(signal, onSignal);
	}
	return 0;
}
