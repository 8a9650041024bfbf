// Following survives rotation like `tail -F` (issue 18): a writer appends 10,000 lines a second in
// its own process while the log is rotated by rename, copy-truncate and delete+recreate; the
// follower hands on every line once, in order — none lost, none repeated. Plus a line without its
// newline waiting for it, the lines/s rate, and a log that appears after following began.
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {LogFollower, type FollowEvent} from '../../source/logs/follow.js';
import type {LogLine} from '../../source/logs/lines.js';
import {openLog} from '../../source/logs/tail.js';
import {logDir, seqOf, startLogWriter, type Rotation} from '../helpers/log-writer.js';
import {sleep, waitFor} from '../helpers/wait.js';

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs) fs.rmSync(dir, {recursive: true, force: true});
});

async function followWhileRotating(rotations: readonly Rotation[], total: number) {
	const dir = logDir();
	dirs.push(dir);
	const log = path.join(dir, 'app.log');
	fs.writeFileSync(log, '');
	const lines: LogLine[] = [];
	const events: FollowEvent[] = [];
	const writer = startLogWriter(log, {rate: 10_000, total});
	await writer.ready;
	// from offset 0: what the writer wrote while this one started is read too
	const follower = new LogFollower({path: log, file: await openLog(log), offset: 0, onLines: batch => void lines.push(...batch), onEvent: event => void events.push(event)});
	follower.start();
	const rates: number[] = [];
	try {
		for (const how of rotations) {
			await sleep(600);
			rates.push(follower.perSecond());
			await writer.rotate(how);
		}
		const written = await writer.done;
		expect(written).toBe(total);
		await waitFor(() => lines.length >= total, {timeout: 15_000, message: `${lines.length} of ${total} lines`});
		await sleep(400);
	} finally {
		writer.stop();
		await follower.stop();
	}
	return {lines, events, rates};
}

function expectEveryLineOnce(lines: readonly LogLine[], total: number): void {
	const seq = seqOf(lines.map(l => l.text));
	const wrong = seq.findIndex((n, i) => n !== i);
	expect(wrong === -1 ? 'every line once, in order' : `line ${wrong}: seq=${seq[wrong]} (then ${seq.slice(wrong + 1, wrong + 4).join(', ')})`).toBe('every line once, in order');
	expect(seq).toHaveLength(total);
}

describe('a writer at 10,000 lines/s while the log is rotated', () => {
	it.each([
		['rename + new file', 'rename', 'renamed'],
		['copy-truncate', 'copytruncate', undefined],
		['delete + recreate', 'recreate', 'recreated'],
	] as const)('%s: every line once, in order', async (_name, how, rotatedAs) => {
		const total = 20_000;
		const {lines, events, rates} = await followWhileRotating([how, how], total);
		expectEveryLineOnce(lines, total);
		if (rotatedAs) expect(events.filter(e => e.kind === 'rotated')).toEqual([{kind: 'rotated', how: rotatedAs}, {kind: 'rotated', how: rotatedAs}]);
		else expect(events.filter(e => e.kind === 'truncated').map(e => e.kind === 'truncated' && path.basename(e.recoveredFrom ?? 'none'))).toEqual(['app.log.1', 'app.log.2']);
		// lines per second while following: about the writer's 10,000
		// (wide: on a loaded machine the writer itself falls behind, then catches up)
		expect(rates.at(-1)).toBeGreaterThan(3000);
		expect(rates.at(-1)).toBeLessThan(20_000);
	}, 60_000);

	it('all three in turn', async () => {
		const total = 40_000;
		const {lines, events} = await followWhileRotating(['rename', 'copytruncate', 'recreate', 'copytruncate', 'rename'], total);
		expectEveryLineOnce(lines, total);
		expect(events.map(e => e.kind)).toEqual(['rotated', 'truncated', 'rotated', 'truncated', 'rotated']);
	}, 60_000);
});

describe('following, small cases', () => {
	it('a line without its newline waits for it; it is handed on whole', async () => {
		const dir = logDir();
		dirs.push(dir);
		const log = path.join(dir, 'app.log');
		fs.writeFileSync(log, 'first\n');
		const lines: string[] = [];
		const follower = new LogFollower({path: log, intervalMs: 50, onLines: batch => void lines.push(...batch.map(l => l.text))});
		follower.start();
		await sleep(150);
		fs.appendFileSync(log, 'half of a li');
		await sleep(200);
		expect(lines).toEqual([]);
		fs.appendFileSync(log, 'ne\nnext\n');
		await waitFor(() => lines.length === 2);
		expect(lines).toEqual(['half of a line', 'next']);
		await follower.stop();
	});

	it('logrotate renames and creates, the app writes to the renamed file until it reopens: nothing lost', async () => {
		const dir = logDir();
		dirs.push(dir);
		const log = path.join(dir, 'app.log');
		let fd = fs.openSync(log, 'a');
		const lines: string[] = [];
		const follower = new LogFollower({path: log, file: await openLog(log), offset: 0, intervalMs: 30, onLines: batch => void lines.push(...batch.map(l => l.text))});
		follower.start();
		let seq = 0;
		const write = () => fs.writeSync(fd, `seq=${seq++}\n`);
		for (let i = 0; i < 5; i++) write();
		fs.renameSync(log, `${log}.1`);
		fs.writeFileSync(log, '');
		// the app has not had its SIGHUP yet: still writing to app.log.1, over several polls
		for (let i = 0; i < 15; i++) {
			write();
			await sleep(20);
		}
		fs.closeSync(fd);
		fd = fs.openSync(log, 'a');
		for (let i = 0; i < 5; i++) write();
		fs.closeSync(fd);
		await waitFor(() => lines.length === 25);
		await sleep(100);
		expect(seqOf(lines)).toEqual(Array.from({length: 25}, (_, i) => i));
		await follower.stop();
	});

	it('a log deleted and not created again: said once after a second; created later: read from its start', async () => {
		const dir = logDir();
		dirs.push(dir);
		const log = path.join(dir, 'app.log');
		fs.writeFileSync(log, 'old\n');
		const lines: string[] = [];
		const events: string[] = [];
		const follower = new LogFollower({path: log, intervalMs: 50, onLines: batch => void lines.push(...batch.map(l => l.text)), onEvent: e => void events.push(e.kind === 'rotated' ? e.how : e.kind)});
		follower.start();
		await sleep(150);
		fs.appendFileSync(log, 'last words\n');
		fs.unlinkSync(log);
		await sleep(500);
		// a rotation's moment without the name is not a disappearance
		expect(events).toEqual([]);
		await waitFor(() => events.length === 1);
		expect(events).toEqual(['missing']);
		fs.writeFileSync(log, 'new 1\nnew 2\n');
		await waitFor(() => lines.length === 3);
		expect(lines).toEqual(['last words', 'new 1', 'new 2']);
		expect(events).toEqual(['missing', 'recreated']);
		await follower.stop();
	});

	it('a log that is not there yet is followed from its start once it appears', async () => {
		const dir = logDir();
		dirs.push(dir);
		const log = path.join(dir, 'later.log');
		const lines: string[] = [];
		const events: string[] = [];
		const follower = new LogFollower({path: log, intervalMs: 50, onLines: batch => void lines.push(...batch.map(l => l.text)), onEvent: e => void events.push(e.kind)});
		follower.start();
		await sleep(150);
		fs.writeFileSync(log, 'one\ntwo\n');
		await waitFor(() => lines.length === 2);
		expect(lines).toEqual(['one', 'two']);
		expect(events).toEqual(['missing', 'appeared']);
		await follower.stop();
	});

	it('a truncation with no copy beside it is said, and the log is read again from its start', async () => {
		const dir = logDir();
		dirs.push(dir);
		const log = path.join(dir, 'app.log');
		fs.writeFileSync(log, 'a\nb\n');
		const lines: string[] = [];
		const events: FollowEvent[] = [];
		const follower = new LogFollower({path: log, intervalMs: 50, onLines: batch => void lines.push(...batch.map(l => l.text)), onEvent: e => void events.push(e)});
		follower.start();
		await sleep(150);
		fs.writeFileSync(log, 'after truncation, a longer line than before\n');
		await waitFor(() => lines.length === 1);
		expect(lines).toEqual(['after truncation, a longer line than before']);
		expect(events).toEqual([{kind: 'truncated'}]);
		await follower.stop();
	});
});
