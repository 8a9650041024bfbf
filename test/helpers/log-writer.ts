// An app writing its log fast (default 10,000 lines a second), in its own process, numbering its
// lines (`seq=N`), and rotating the log when told — the three ways logrotate and apps do it:
//   rename        mv app.log app.log.N, then the app opens a new app.log
//   copytruncate  cp app.log app.log.N, then app.log truncated to 0 (the app keeps its O_APPEND fd)
//   recreate      rm app.log, then the app opens a new app.log
// The rotation runs between two of its writes, as an app's own rotation (or a SIGHUP reopen) does,
// so no line is written in logrotate's copy-truncate gap.
import {fork, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {onProcessExit} from './exit-cleanup.js';

export type Rotation = 'rename' | 'copytruncate' | 'recreate';

const script = `
const fs = require('node:fs');
const [log, rate, total] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
let fd = fs.openSync(log, 'a');
let written = 0;
let rotations = 0;
const started = Date.now();
const filler = ' INFO  http GET /api/chats/ABC123/messages status=200 ms=12 user=u4821 lorem ipsum';
function tick() {
	const due = Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000));
	if (due > written) {
		let text = '';
		for (; written < due; written++) text += 'seq=' + written + ' ' + new Date().toISOString() + filler + '\\n';
		fs.writeSync(fd, text);
	}
	if (written >= total) {
		fs.closeSync(fd);
		process.send({done: written}, () => process.exit(0));
		return;
	}
	setTimeout(tick, 5);
}
process.on('message', message => {
	const n = ++rotations;
	if (message.rotate === 'rename') {
		fs.renameSync(log, log + '.' + n);
		fs.closeSync(fd);
		fd = fs.openSync(log, 'a');
	} else if (message.rotate === 'copytruncate') {
		fs.copyFileSync(log, log + '.' + n);
		fs.ftruncateSync(fd, 0);
	} else if (message.rotate === 'recreate') {
		fs.unlinkSync(log);
		fs.closeSync(fd);
		fd = fs.openSync(log, 'a');
	}
	process.send({rotated: message.rotate, at: written});
});
process.send({ready: true});
tick();
`;

export type LogWriter = {
	readonly child: ChildProcess;
	/** resolves once it has started writing */
	readonly ready: Promise<void>;
	/** resolves with the number of lines written when it is done */
	readonly done: Promise<number>;
	rotate(how: Rotation): Promise<void>;
	stop(): void;
};

/** A temp folder for a log (removed by the caller). */
export function logDir(prefix = 'opsdeck-logs-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts writing `total` lines to `log` at `rate` lines a second. */
export function startLogWriter(log: string, {rate = 10_000, total = 30_000}: {rate?: number; total?: number} = {}): LogWriter {
	const scriptFile = path.join(path.dirname(log), '.writer.cjs');
	fs.writeFileSync(scriptFile, script);
	const child = fork(scriptFile, [log, String(rate), String(total)], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
	const unregister = onProcessExit(() => child.kill('SIGKILL'));
	const waiting: Array<() => void> = [];
	let started: () => void;
	const ready = new Promise<void>(resolve => (started = resolve));
	const done = new Promise<number>((resolve, reject) => {
		child.on('message', (message: {done?: number; rotated?: string; ready?: boolean}) => {
			if (message.ready) started();
			if (message.done !== undefined) resolve(message.done);
			if (message.rotated) waiting.shift()?.();
		});
		child.once('exit', code => {
			unregister();
			if (code !== 0) reject(new Error(`log writer exited with ${code}`));
		});
	});
	return {
		child,
		ready,
		done,
		rotate: how => new Promise<void>(resolve => {
			waiting.push(resolve);
			child.send({rotate: how});
		}),
		stop: () => child.kill('SIGKILL'),
	};
}

/** The `seq=N` numbers of lines, to check none is lost, repeated or out of order. */
export function seqOf(lines: readonly string[]): number[] {
	return lines.map(line => Number(/seq=(\d+)/.exec(line)?.[1] ?? -1));
}
