// Issue 22, phase 2: the Redis tab on a 3-master Cluster: one section per master, `[` `]` pick it;
// the clients listed are the picked master's; memory by prefix covers the keys of every master.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Cluster, Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {App, tabs} from '../../source/console/app.js';
import {closeBackends, createBackends, type Backends} from '../../source/backends/index.js';
import {loadConfig} from '../../source/config/config.js';
import {startRedisCluster, type RedisClusterHandle} from '../helpers/redis-cluster.js';
import {render} from '../helpers/render.js';

let cluster: RedisClusterHandle;
let writer: Cluster;
let cwd: string;
let backends: Backends;
const redisKey = String(tabs.findIndex(t => t.id === 'redis') + 1);

beforeAll(async () => {
	cluster = await startRedisCluster(3);
	writer = new Cluster([{host: '127.0.0.1', port: cluster.ports[0]!}]);
	cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-redis-tab-cluster-'));
	const config = loadConfig({env: {REDIS_URL: cluster.url, DATABASE_URL: 'postgres://127.0.0.1:1/x', SQLITE_PATH: path.join(cwd, 'x.db'), POLL_INTERVAL_MS: '250'}, flags: {auditLog: path.join(cwd, 'audit.log')}, cwd});
	backends = createBackends(config);
	await backends.redis.ready();
}, 60_000);

afterAll(async () => {
	writer?.disconnect();
	if (backends) await closeBackends(backends);
	await cluster?.stop();
	if (cwd) fs.rmSync(cwd, {recursive: true, force: true});
});

describe('Redis tab on a Cluster', () => {
	it('[ ] step through the masters; clients are the picked one\'s; memory covers every master', async () => {
		// one named client on one master only
		const port = cluster.ports[1]!;
		const lone = new Redis({port, host: '127.0.0.1'});
		lone.on('error', () => undefined);
		await lone.call('CLIENT', 'SETNAME', 'lone-client');
		await Promise.all(Array.from({length: 300}, (_, i) => writer.set(`user:${i}`, 'x'.repeat(500))));
		try {
			const app = render(<App backends={backends} startOnMount={false} />);
			await app.waitFor('Status');
			await app.press(redisKey);
			const first = await app.waitFor(/\(1\/3, \[ \] picks\)/, 10_000);
			const name = (screen: string) => /(127\.0\.0\.1:\d+) +master/.exec(screen)?.[1];
			const seen = new Set([name(first)]);
			await app.press(']');
			seen.add(name(await app.waitFor(/\(2\/3, /)));
			await app.press(']');
			seen.add(name(await app.waitFor(/\(3\/3, /)));
			expect([...seen].sort()).toEqual(cluster.ports.map(p => `127.0.0.1:${p}`).sort());
			await app.press('[');
			await app.waitFor(/\(2\/3, /);

			// the clients of each master: the lone client on its own master only
			await app.press('c');
			for (let i = 0; i < 3; i++) {
				// (read: at least opsdeck's own connection is listed on every master)
				const screen = await app.waitFor(/[1-9]\d* clients on 127\.0\.0\.1:\d+/);
				const on = /clients on (127\.0\.0\.1:\d+)/.exec(screen)![1];
				if (on === `127.0.0.1:${port}`) await app.waitFor(/lone-client/);
				else expect(screen).not.toContain('lone-client');
				await app.press(']');
				await app.waitFor(s => !s.includes(`clients on ${on}`));
			}

			await app.press('p');
			await app.waitFor(/scanned 300\/300 keys/, 15_000);
			expect(app.screen()).toMatch(/user: +\d/);
		} finally {
			lone.disconnect();
		}
	});
});
