// The console in a real pseudo-terminal (node-pty) feeding a headless xterm, with timestamps: every
// chunk of output is stamped when it arrives, and a wait resolves with the arrival time of the chunk
// after which the screen first matched — not with the time a poll happened to look.
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import {now} from './stats.mjs';

const {Terminal} = xtermHeadless;
const live = new Set();
process.on('exit', () => {
	for (const p of live) {
		try {
			p.kill('SIGKILL');
		} catch {
			// gone
		}
	}
});

/** process.env without the CI markers (Ink draws only the last frame under CI). */
export function consoleEnv(extra = {}) {
	const out = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined || key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) continue;
		out[key] = value;
	}
	out.TERM = 'xterm-256color';
	return {...out, ...extra};
}

export function startPty(command, args, {cols = 100, rows = 30, env, cwd} = {}) {
	const term = new Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
	const startedAt = now();
	const child = pty.spawn(command, args, {name: 'xterm-256color', cols, rows, cwd: cwd ?? process.cwd(), env: env ?? consoleEnv()});
	live.add(child);
	let waiters = [];
	let exit;
	let bytes = 0;
	child.onData(data => {
		const at = now();
		bytes += data.length;
		term.write(data, () => {
			// parsed: check every waiter against the screen as of this chunk
			waiters = waiters.filter(w => {
				if (!w.test()) return true;
				w.resolve(at);
				return false;
			});
		});
	});
	term.onData(data => {
		if (!exit) child.write(data);
	});
	const exited = new Promise(resolve => {
		child.onExit(e => {
			exit = {at: now(), ...e};
			live.delete(child);
			for (const w of waiters) w.reject(new Error(`program exited (${e.exitCode}) before: ${w.what}\n${lines().join('\n')}`));
			waiters = [];
			resolve(exit);
		});
	});
	const lines = () => {
		const buffer = term.buffer.active;
		const out = [];
		for (let y = 0; y < term.rows; y++) out.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return out;
	};
	/** The text of the first row drawn in inverse below the tab bar (the table's cursor row), or undefined. */
	const selectedRow = () => {
		const buffer = term.buffer.active;
		for (let y = 1; y < term.rows - 1; y++) {
			const line = buffer.getLine(buffer.viewportY + y);
			const cell = line?.getCell(0);
			if (cell && cell.isInverse()) return line.translateToString(true);
		}
		return undefined;
	};
	/** Resolves with the arrival time (performance.now()) of the chunk after which test() held. */
	const waitUntil = (test, what, timeoutMs = 30_000) => new Promise((resolve, reject) => {
		if (test()) return resolve(now());
		if (exit) return reject(new Error(`program exited before: ${what}`));
		const timer = setTimeout(() => {
			waiters = waiters.filter(w => w !== waiter);
			reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}. Screen:\n${lines().join('\n')}`));
		}, timeoutMs);
		const waiter = {
			test,
			what,
			resolve: at => {
				clearTimeout(timer);
				resolve(at);
			},
			reject: error => {
				clearTimeout(timer);
				reject(error);
			},
		};
		waiters.push(waiter);
	});
	return {
		startedAt,
		pid: child.pid,
		lines,
		screen: () => lines().join('\n'),
		selectedRow,
		bytes: () => bytes,
		waitUntil,
		/** Writes input and returns the time it was written. */
		press(input) {
			const at = now();
			child.write(input);
			return at;
		},
		exited,
		async quit(timeoutMs = 5000) {
			if (exit) return exit;
			child.write('q');
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			const result = await exited;
			clearTimeout(timer);
			return result;
		},
		kill(signal = 'SIGKILL') {
			if (!exit) child.kill(signal);
		},
	};
}

/** The console's first full frame: the tab bar (all four tabs) and a bottom bar with key hints. */
export function fullFrame(run) {
	const rows = run.lines();
	const top = rows.findIndex(line => line.includes('1 Status') && line.includes('4 Backups'));
	if (top === -1) return false;
	const bottom = rows.slice(top + 1).reverse().find(line => line.trim() !== '');
	return bottom !== undefined && /\?\s+help|q\s+quit/.test(bottom);
}
