// The test helpers themselves: if these lie, every test built on them does.
import fs from 'node:fs';
import net from 'node:net';
import {Redis} from 'ioredis';
import {describe, expect, it} from 'vitest';
import {adminQuery, createTestDatabase} from './pg-db.js';
import {keys, runPty} from './pty.js';
import {pingRedis, startRedis} from './redis-server.js';
import {tempSqlite} from './sqlite.js';
import {startBlackhole, startProxy} from './tcp-proxy.js';
import {sleep, timed, waitFor} from './wait.js';

describe('waitFor', () => {
	it('returns the first truthy value', async () => {
		let n = 0;
		expect(await waitFor(() => (++n >= 3 ? n : 0), {interval: 1})).toBe(3);
	});

	it('retries a function that throws until it stops throwing', async () => {
		let n = 0;
		const value = await waitFor(async () => {
			if (++n < 3) throw new Error('not yet');
			return 'done';
		}, {interval: 1});
		expect(value).toBe('done');
	});

	it('times out quoting the last error or value', async () => {
		await expect(waitFor(() => {
			throw new Error('still broken');
		}, {timeout: 50})).rejects.toThrow(/timed out after 50 ms \(last error: still broken\)/);
		await expect(waitFor(() => 0, {timeout: 50, message: 'redis up'})).rejects.toThrow(/^redis up: .*last value: 0/);
	});
});

describe('tcp proxy and blackhole', () => {
	async function echoServer(): Promise<{port: number; close: () => Promise<void>}> {
		const sockets = new Set<net.Socket>();
		const server = net.createServer(socket => {
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.on('data', data => socket.write(data));
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		return {
			port: (server.address() as net.AddressInfo).port,
			close: () => {
				for (const socket of sockets) socket.destroy();
				return new Promise(resolve => server.close(() => resolve()));
			},
		};
	}

	it('forwards, stalls, resumes and cuts', async () => {
		const echo = await echoServer();
		const proxy = await startProxy({targetPort: echo.port});
		const socket = net.connect({port: proxy.port, host: '127.0.0.1'});
		socket.on('error', () => undefined);
		let received = '';
		socket.on('data', data => {
			received += data.toString();
		});
		socket.write('one');
		await waitFor(() => received === 'one');
		proxy.stall();
		socket.write('two');
		await waitFor(() => proxy.heldBytes === 3);
		await sleep(50);
		expect(received).toBe('one');
		proxy.resume();
		await waitFor(() => received === 'onetwo');
		expect(proxy.open).toBe(1);
		const closed = new Promise(resolve => socket.once('close', resolve));
		proxy.cutAll();
		await closed;
		expect(proxy.open).toBe(0);
		expect(proxy.accepted).toBe(1);
		await proxy.close();
		await echo.close();
	});

	it('a blackhole accepts and never answers', async () => {
		const hole = await startBlackhole();
		const socket = net.connect({port: hole.port, host: '127.0.0.1'});
		let received = 0;
		socket.on('data', data => {
			received += data.length;
		});
		socket.write('PING\r\n');
		await waitFor(() => hole.bytesReceived === 6);
		await sleep(50);
		expect(received).toBe(0);
		expect(hole.accepted).toBe(1);
		const closed = new Promise(resolve => socket.once('close', resolve));
		await hole.close();
		await closed;
	});
});

describe('startRedis', () => {
	it('starts on a free port, dies on kill and comes back on the same port', async () => {
		const server = await startRedis();
		try {
			expect(server.url).toBe(`redis://127.0.0.1:${server.port}/0`);
			expect(server.port).not.toBe(6379);
			const client = new Redis(server.url, {maxRetriesPerRequest: 0, retryStrategy: () => 50});
			client.on('error', () => undefined);
			expect(await client.config('GET', 'save')).toEqual(['save', '']);
			expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
			expect(await client.config('GET', 'dir')).toEqual(['dir', fs.realpathSync(server.dir)]);
			const pid = server.pid!;
			await server.kill();
			expect(server.pid).toBeUndefined();
			expect(() => process.kill(pid, 0)).toThrow();
			expect(await pingRedis(server.port)).toBe(false);
			await server.restart();
			expect(await pingRedis(server.port)).toBe(true);
			client.disconnect();
		} finally {
			await server.stop();
		}
		expect(fs.existsSync(server.dir)).toBe(false);
	});

	it('passes extra arguments', async () => {
		const server = await startRedis({args: ['--maxmemory', '10mb']});
		try {
			const client = new Redis(server.url);
			expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(10 * 1024 * 1024)]);
			client.disconnect();
		} finally {
			await server.stop();
		}
	});
});

describe('createTestDatabase', () => {
	it('creates, terminates connections to and drops a database', async () => {
		const db = await createTestDatabase('opsdeck_helper');
		expect(db.name).toMatch(/^opsdeck_helper_[0-9a-f]{12}$/);
		const {default: pg} = await import('pg');
		const client = new pg.Client({connectionString: db.url});
		const errors: Error[] = [];
		client.on('error', error => errors.push(error));
		await client.connect();
		expect((await client.query('select current_database() as name')).rows).toEqual([{name: db.name}]);
		expect(await db.terminate()).toBe(1);
		await waitFor(() => errors.length > 0);
		await client.end().catch(() => undefined);
		await db.drop();
		expect(await adminQuery('select 1 from pg_database where datname = $1', [db.name])).toEqual([]);
	});
});

describe('tempSqlite', () => {
	it('makes a seeded WAL database and cleans up', async () => {
		const t = tempSqlite();
		const {default: Database} = await import('better-sqlite3');
		const db = new Database(t.path, {readonly: true});
		expect(db.pragma('journal_mode', {simple: true})).toBe('wal');
		expect(db.prepare('select count(*) as n from messages').get()).toEqual({n: 20});
		db.close();
		t.cleanup();
		expect(fs.existsSync(t.dir)).toBe(false);
	});
});

describe('runPty', () => {
	const script = `
		process.stdout.write('CI=' + (process.env.CI ?? 'unset') + ' TTY=' + process.stdout.isTTY + ' size=' + process.stdout.columns + 'x' + process.stdout.rows + '\\n');
		process.stdin.setRawMode(true);
		process.stdin.on('data', data => {
			const s = data.toString();
			if (s === 'a') process.stdout.write('\\x1b[?1049h\\x1b[H\\x1b[2Jalternate screen');
			if (s === 'b') process.stdout.write('\\x1b[?1049l');
			if (s === '\\x1b[A') process.stdout.write('\\nup arrow');
			if (s === 'q') process.exit(3);
		});
		process.stdout.on('resize', () => process.stdout.write('\\nresized ' + process.stdout.columns + 'x' + process.stdout.rows));
	`;

	it('runs a program in a terminal without CI, reads the screen, presses keys', async () => {
		const run = runPty(process.execPath, ['-e', script], {cols: 60, rows: 10, env: {...process.env, CI: 'true', CONTINUOUS_INTEGRATION: '1'}});
		try {
			await run.waitForText('CI=unset TTY=true size=60x10');
			expect(run.lines()).toHaveLength(10);
			expect(run.isAlternateScreen()).toBe(false);
			run.press(keys.up);
			await run.waitForText('up arrow');
			run.press('a');
			await run.waitForText('alternate screen');
			expect(run.isAlternateScreen()).toBe(true);
			expect(run.screen().split('\n')[0]).toBe('alternate screen');
			run.press('b');
			await run.waitForNoText('alternate screen');
			expect(run.isAlternateScreen()).toBe(false);
			run.resize(40, 8);
			await run.waitForText('resized 40x8');
			expect(run.rawOutput()).toContain('\x1b[?1049h');
			await expect(run.waitForText('never shown', 100)).rejects.toThrow(/did not appear within 100 ms\. Screen:\n.*CI=unset/);
			run.press('q');
			expect(await run.waitForExit(5000)).toEqual({exitCode: 3, signal: undefined});
		} finally {
			run.kill('SIGKILL');
		}
	});

	it('kill() ends the program and exited reports the signal', async () => {
		const run = runPty(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("running")']);
		await run.waitForText('running');
		run.kill('SIGTERM');
		const exit = await run.exited;
		expect(exit.signal).toBe(15);
		const result = await timed(run.waitForText('never', 50));
		expect(String(result.error)).toMatch(/program exited/);
	});
});
