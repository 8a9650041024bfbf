// Running the tools opsdeck reads from (journalctl, systemctl, pm2): an argument list, never a
// shell; a time limit; their output as text (a failure carries their own stderr line).

export type CommandResult = {readonly code: number | null; readonly stdout: string; readonly stderr: string};

/** A program was not found (ENOENT) or could not be started. */
export class ToolMissingError extends Error {}

export type RunOptions = {
	readonly timeoutMs?: number;
	readonly env?: NodeJS.ProcessEnv;
	readonly signal?: AbortSignal;
};

/** Runs `command args…` to its end (or kills it after timeoutMs, default 15 s) and returns what it printed. */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
	// node:child_process loaded when a tool runs, not by every command that imports this (`logs FILE`, P9)
	const {spawn} = process.getBuiltinModule('node:child_process');
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
		child.once('error', error => {
			clearTimeout(timer);
			const code = (error as NodeJS.ErrnoException).code;
			reject(code === 'ENOENT' ? new ToolMissingError(`${command} is not installed (not found on PATH)`) : error);
		});
		child.once('close', code => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

export type LineStream = {
	/** resolves when the program has ended (or was stopped) */
	readonly done: Promise<CommandResult>;
	/** ends the program (SIGTERM); the lines already read have been handed on */
	stop(): void;
};

/**
 * Runs a program that prints one record a line (journalctl -o json), handing each line on as it
 * comes; `onLine` returning false stops it (enough lines read).
 */
export function streamLines(command: string, args: readonly string[], onLine: (line: string) => boolean | void, options: RunOptions = {}): LineStream {
	const {spawn} = process.getBuiltinModule('node:child_process');
	const child = spawn(command, args, {env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	let stopped = false;
	child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 4096)));
	const stop = () => {
		if (stopped) return;
		stopped = true;
		child.kill('SIGTERM');
	};
	options.signal?.addEventListener('abort', stop, {once: true});
	const lines = process.getBuiltinModule('node:readline').createInterface({input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY});
	lines.on('line', line => {
		if (!stopped && onLine(line) === false) stop();
	});
	const done = new Promise<CommandResult>((resolve, reject) => {
		child.once('error', error => {
			const code = (error as NodeJS.ErrnoException).code;
			reject(code === 'ENOENT' ? new ToolMissingError(`${command} is not installed (not found on PATH)`) : error);
		});
		child.once('close', code => {
			options.signal?.removeEventListener('abort', stop);
			// the lines still buffered in readline come first
			setImmediate(() => resolve({code: stopped ? 0 : code, stdout: '', stderr}));
		});
	});
	return {done, stop};
}
