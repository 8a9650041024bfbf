// Runs a program in a real pseudo-terminal (node-pty) and keeps a headless xterm in step with its
// output, so a test can press keys as a person would and read the screen the person would see.
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import {onProcessExit} from './exit-cleanup.js';

const {Terminal} = xtermHeadless;

export type PtyOptions = {
	readonly cols?: number;
	readonly rows?: number;
	/** the child's environment (default process.env); CI markers are always removed */
	readonly env?: Readonly<Record<string, string | undefined>>;
	readonly cwd?: string;
};

export type PtyExit = {readonly exitCode: number; readonly signal: number | undefined};

export type PtyRun = {
	/** The visible screen: one line per row, trailing spaces trimmed, joined by \n. Call flush() first for the latest output. */
	screen(): string;
	/** The visible rows as an array (same trimming as screen()). */
	lines(): string[];
	/** The rows drawn in inverse video (a highlighted row, the active tab), same trimming. */
	inverseLines(): string[];
	/** Resolves once everything received so far has been parsed by the terminal. */
	flush(): Promise<void>;
	/** Writes raw input, e.g. 'q', '\r', keys.down. */
	press(keys: string): void;
	/** Polls the screen until it contains text (or matches the RegExp); throws with the current screen on timeout. */
	waitForText(text: string | RegExp, timeoutMs?: number): Promise<void>;
	/** Polls until the screen no longer contains text; throws with the current screen on timeout. */
	waitForNoText(text: string | RegExp, timeoutMs?: number): Promise<void>;
	/** Resizes the pseudo-terminal (the program gets SIGWINCH) and the virtual screen. */
	resize(cols: number, rows: number): void;
	/** Settles when the program exits. */
	readonly exited: Promise<PtyExit>;
	/** The exit, or undefined while the program runs. */
	readonly exit: PtyExit | undefined;
	/** Resolves with the exit, or throws with the current screen when it takes longer than timeoutMs. */
	waitForExit(timeoutMs?: number): Promise<PtyExit>;
	/** Sends a signal (default SIGTERM) to the program. */
	kill(signal?: string): void;
	/** Everything the program wrote, escape sequences included. */
	rawOutput(): string;
	/** True while the program has the terminal in the alternate screen buffer. */
	isAlternateScreen(): boolean;
	/** The visible rows (0-based) that continue a line the terminal wrapped: something was drawn wider than the screen. */
	wrappedRows(): number[];
	readonly pid: number;
};

/** Special keys as a terminal sends them. */
export const keys = {
	up: '\x1b[A',
	down: '\x1b[B',
	right: '\x1b[C',
	left: '\x1b[D',
	enter: '\r',
	escape: '\x1b',
	tab: '\t',
	shiftTab: '\x1b[Z',
	backspace: '\x7f',
	pageUp: '\x1b[5~',
	pageDown: '\x1b[6~',
	home: '\x1b[H',
	end: '\x1b[F',
	ctrlC: '\x03',
	ctrlD: '\x04',
} as const;

const live = new Set<pty.IPty>();
let exitHookInstalled = false;

/**
 * The environment for the child: Ink draws only the final frame when it thinks it runs in CI
 * (is-in-ci checks CI and CONTINUOUS_INTEGRATION), so both are removed, with CI_* for good measure.
 */
export function ptyEnv(env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(env)) {
		if (value === undefined) continue;
		if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) continue;
		out[key] = value;
	}
	out.TERM = env.TERM && env.TERM !== 'dumb' ? env.TERM : 'xterm-256color';
	return out;
}

/** Spawns command in a cols×rows pseudo-terminal (default 80×24). The child is killed at process exit if still running. */
export function runPty(command: string, args: readonly string[] = [], opts: PtyOptions = {}): PtyRun {
	const cols = opts.cols ?? 80;
	const rows = opts.rows ?? 24;
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		onProcessExit(() => {
			for (const p of live) {
				try {
					p.kill('SIGKILL');
				} catch {
					// gone
				}
			}
		});
	}
	const term = new Terminal({cols, rows, allowProposedApi: true, scrollback: 1000});
	const child = pty.spawn(command, [...args], {
		name: 'xterm-256color',
		cols,
		rows,
		cwd: opts.cwd ?? process.cwd(),
		env: ptyEnv(opts.env),
	});
	live.add(child);
	const chunks: string[] = [];
	let exit: PtyExit | undefined;

	child.onData(data => {
		chunks.push(data);
		term.write(data);
	});
	// Answers the terminal gives (cursor position reports, device attributes) go back to the program.
	term.onData(data => {
		if (!exit) child.write(data);
	});
	const exited = new Promise<PtyExit>(resolve => {
		child.onExit(({exitCode, signal}) => {
			exit = {exitCode, signal: signal || undefined};
			live.delete(child);
			resolve(exit);
		});
	});

	const lines = (): string[] => {
		const buffer = term.buffer.active;
		const out: string[] = [];
		for (let y = 0; y < term.rows; y++) out.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return out;
	};
	const inverseLines = (): string[] => {
		const buffer = term.buffer.active;
		const out: string[] = [];
		for (let y = 0; y < term.rows; y++) {
			const line = buffer.getLine(buffer.viewportY + y);
			if (line && Array.from({length: term.cols}, (_, x) => line.getCell(x)).some(cell => cell?.isInverse() && cell.getChars().trim() !== '')) {
				out.push(line.translateToString(true));
			}
		}
		return out;
	};
	const screen = () => lines().join('\n');
	const flush = () => new Promise<void>(resolve => term.write('', resolve));
	const matches = (text: string | RegExp) => (typeof text === 'string' ? screen().includes(text) : text.test(screen()));

	const poll = async (want: boolean, text: string | RegExp, timeoutMs: number): Promise<void> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await flush();
			if (matches(text) === want) return;
			if (Date.now() >= deadline) break;
			if (exit) {
				// the program is gone: give its last bytes a moment, then decide
				await new Promise(resolve => setTimeout(resolve, 50));
				await flush();
				if (matches(text) === want) return;
				break;
			}
			await new Promise(resolve => setTimeout(resolve, 20));
		}
		const what = want ? 'appear' : 'go away';
		const status = exit ? ` (program exited with ${exit.exitCode}${exit.signal ? `, signal ${exit.signal}` : ''})` : '';
		throw new Error(`${JSON.stringify(String(text))} did not ${what} within ${timeoutMs} ms${status}. Screen:\n${screen()}`);
	};

	return {
		screen,
		lines,
		inverseLines,
		flush,
		press(input: string) {
			child.write(input);
		},
		waitForText: (text, timeoutMs = 10_000) => poll(true, text, timeoutMs),
		waitForNoText: (text, timeoutMs = 10_000) => poll(false, text, timeoutMs),
		resize(newCols: number, newRows: number) {
			child.resize(newCols, newRows);
			term.resize(newCols, newRows);
		},
		exited,
		get exit() {
			return exit;
		},
		async waitForExit(timeoutMs = 10_000) {
			let timer: NodeJS.Timeout | undefined;
			try {
				return await Promise.race([
					exited,
					new Promise<never>((_, reject) => {
						timer = setTimeout(async () => {
							await flush();
							reject(new Error(`program did not exit within ${timeoutMs} ms. Screen:\n${screen()}`));
						}, timeoutMs);
					}),
				]);
			} finally {
				clearTimeout(timer);
			}
		},
		kill(signal = 'SIGTERM') {
			if (!exit) child.kill(signal);
		},
		rawOutput: () => chunks.join(''),
		isAlternateScreen: () => term.buffer.active.type === 'alternate',
		wrappedRows: () => {
			const buffer = term.buffer.active;
			return Array.from({length: term.rows}, (_, y) => y).filter(y => buffer.getLine(buffer.viewportY + y)?.isWrapped === true);
		},
		pid: child.pid,
	};
}
