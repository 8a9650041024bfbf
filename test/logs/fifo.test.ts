// A FIFO where a log should be (the hostile tester: `logs -n 2` hung, the Logs tab said "reading…"
// for ever and q never exited, all blocked in open()): every place a log is opened refuses it at
// once as not a regular file — openLog (the reader, count/grep), the follower, and the app's last
// log lines after a failed restart — and no open() is left blocking (this process would not exit).
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lastLogLines} from '../../source/app-process/last-lines.js';
import type {AppProcessStatus} from '../../source/app-process/status.js';
import {LogFollower, type FollowEvent} from '../../source/logs/follow.js';
import {SourceReader} from '../../source/logs/reader.js';
import {openLog} from '../../source/logs/tail.js';
import {sleep} from '../helpers/wait.js';

let dir: string;
let fifo: string;

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-fifo-'));
	fifo = path.join(dir, 'app.log');
	execFileSync('mkfifo', [fifo]);
});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('a FIFO named as a log', () => {
	it('openLog, a page, --count: refused at once as not a regular file (EISDIR, what `logs` reports)', async () => {
		await expect(openLog(fifo)).rejects.toMatchObject({code: 'EISDIR', message: `${fifo} is not a regular file`});
		const reader = new SourceReader({kind: 'file', name: 'app.log', path: fifo});
		await expect(reader.last(2)).rejects.toMatchObject({code: 'EISDIR'});
		await expect(reader.all(() => undefined)).rejects.toMatchObject({code: 'EISDIR'});
		await reader.close();
	});

	it('the follower says it is not there (as for a missing log) and stops at once', async () => {
		const events: FollowEvent[] = [];
		const follower = new LogFollower({path: fifo, intervalMs: 20, onLines: () => undefined, onEvent: event => events.push(event)});
		follower.start();
		await sleep(100);
		await follower.stop();
		expect(events[0]).toEqual({kind: 'missing'});
	});

	it("the app's last log lines skip it (nothing to show), without hanging", async () => {
		const status = {logFiles: [fifo]} as unknown as AppProcessStatus;
		const started = Date.now();
		expect(await lastLogLines({logFiles: [fifo], logUnit: undefined}, {kind: 'pidfile', path: path.join(dir, 'x.pid')}, status)).toEqual([]);
		expect(Date.now() - started).toBeLessThan(5000);
	});
});
