// `opsdeck serve`'s /metrics, /livez and /readyz as Prometheus and Kubernetes see them: the built
// CLI, a private redis-server behind a TCP proxy (killed, and stalled), PostgreSQL behind a proxy
// we take away. Needs `npm run build`.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminUrl} from '../helpers/pg-db.js';
import {parsePrometheusText, sampleValue} from '../helpers/prom-text.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {tempSqlite, type TempSqlite} from '../helpers/sqlite.js';
import {startProxy, type TcpProxy} from '../helpers/tcp-proxy.js';
import {sleep, waitFor} from '../helpers/wait.js';
import {cliEnv, requireBuild, startCli, type CliRun} from '../helpers/health-env.js';

let redis: RedisServerHandle;
let redisProxy: TcpProxy;
let pgProxy: TcpProxy;
let sqlite: TempSqlite;
let serve: CliRun;
let base: string;
const pg = new URL(adminUrl);
const paths = ['/health', '/api/health', '/livez', '/readyz', '/metrics'];

beforeAll(async () => {
	requireBuild();
	redis = await startRedis();
	[redisProxy, pgProxy] = await Promise.all([startProxy({targetPort: redis.port}), startProxy({targetPort: Number(pg.port || 5432), targetHost: pg.hostname})]);
	const client = new Redis(redis.url);
	// three chats' messages (the default watch) with a cap of 2: one series is dropped, and says so
	for (const [chat, n] of [['a', 3], ['b', 5], ['c', 1]] as const) {
		for (let i = 0; i < n; i++) await client.zadd(`chat:${chat}:messages`, i, `m${i}`);
	}
	// a hostile key name is a label value: escaped, never breaking the format
	await client.zadd('chat:"a\\b\nc:messages', 1, 'x');
	// two keys that differ only in bytes that are not UTF-8, and one with ESC, BEL and CR: distinct
	// labels (not both `\uFFFD`), no raw control byte in the scrape
	await client.zadd(Buffer.from('chat:"evil\xff:messages', 'latin1'), 1, 'x');
	await client.zadd(Buffer.from('chat:"evil\xfe:messages', 'latin1'), 1, 'x');
	await client.zadd('chat:\x1b[31m\x07\r:messages', 1, 'x');
	client.disconnect();
	sqlite = tempSqlite();
	const databaseUrl = new URL(adminUrl);
	databaseUrl.port = String(pgProxy.port);
	serve = startCli(['serve', '--port', '0'], {
		cwd: sqlite.dir,
		env: cliEnv({REDIS_URL: `redis://127.0.0.1:${redisProxy.port}/0`, DATABASE_URL: databaseUrl.toString(), SQLITE_PATH: sqlite.path, POLL_INTERVAL_MS: '250', METRICS_WATCH_CAP: '6'}),
	});
	const line = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.out()), {timeout: 10_000, message: serve.err()});
	base = line[1]!;
	await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, {timeout: 10_000});
});

afterAll(async () => {
	serve?.child.kill('SIGKILL');
	await Promise.all([redisProxy?.close(), pgProxy?.close().catch(() => undefined)]);
	await redis?.stop();
	sqlite?.cleanup();
});

async function scrape() {
	const response = await fetch(`${base}/metrics`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
	return parsePrometheusText(await response.text());
}

/** Scrapes until check holds (the store values follow serve's poll; a scrape is cached 2 s). */
async function scrapeUntil(check: (families: Awaited<ReturnType<typeof scrape>>) => boolean) {
	return waitFor(async () => {
		const families = await scrape();
		return check(families) ? families : undefined;
	}, {timeout: 15_000, interval: 300});
}

describe('serve /metrics', () => {
	it('parses as the Prometheus text format; each metric once with HELP and TYPE; the stores, the verdict and the watched keys', async () => {
		const families = await scrapeUntil(f => sampleValue(f, 'opsdeck_up', {store: 'redis'}) === 1 && sampleValue(f, 'opsdeck_watch_keys') === 7);
		for (const family of families.values()) {
			expect(family.help, family.name).toBeTruthy();
			expect(family.type, family.name).toMatch(/^(gauge|counter)$/);
			expect(family.name).toMatch(/^opsdeck_/);
		}
		for (const name of ['opsdeck_up', 'opsdeck_latency_seconds', 'opsdeck_verdict', 'opsdeck_postgres_connections', 'opsdeck_redis_memory_used_bytes', 'opsdeck_redis_evicted_keys_total', 'opsdeck_redis_hit_ratio', 'opsdeck_redis_ops_per_second', 'opsdeck_sqlite_size_bytes', 'opsdeck_sqlite_wal_size_bytes', 'opsdeck_backup_last_success_timestamp_seconds', 'opsdeck_watch_count', 'opsdeck_watch_series_dropped']) {
			expect(families.has(name), name).toBe(true);
		}
		expect(sampleValue(families, 'opsdeck_up', {store: 'postgres'})).toBe(1);
		expect(sampleValue(families, 'opsdeck_up', {store: 'sqlite'})).toBe(1);
		expect(sampleValue(families, 'opsdeck_verdict')).toBe(0);
		expect(sampleValue(families, 'opsdeck_sqlite_size_bytes')).toBeGreaterThan(0);
		// no backup yet: the last success is 1970, so `time() - …` alerts
		expect(sampleValue(families, 'opsdeck_backup_last_success_timestamp_seconds')).toBe(0);
		expect(families.get('opsdeck_postgres_connections')!.samples.length).toBeGreaterThan(0);
		// the cap (6) of 7 keys: the first 6 by name, and one dropped; each label the key as `opsdeck keys` shows it
		const counts = families.get('opsdeck_watch_count')!.samples.map(s => [s.labels.key, s.value]);
		expect(counts).toEqual([['chat:\\x1b[31m\\x07\\x0d:messages', 1], ['chat:"a\\\\b\\x0ac:messages', 1], ['chat:"evil\\xfe:messages', 1], ['chat:"evil\\xff:messages', 1], ['chat:a:messages', 3], ['chat:b:messages', 5]]);
		expect(sampleValue(families, 'opsdeck_watch_series_dropped')).toBe(1);
		expect(sampleValue(families, 'opsdeck_watch_series_cap')).toBe(6);
		const text = await (await fetch(`${base}/metrics`)).text();
		expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\ufffd]/);
		for (const collector of ['stores', 'postgres', 'watches']) expect(sampleValue(families, 'opsdeck_scrape_collector_success', {collector})).toBe(1);
	});

	it('/livez and /readyz 200 while healthy; HEAD on every path; another method 405 with Allow', async () => {
		expect((await fetch(`${base}/livez`)).status).toBe(200);
		const ready = await fetch(`${base}/readyz`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toMatchObject({ready: true, verdict: 'healthy'});
		for (const path of paths) {
			const head = await fetch(`${base}${path}`, {method: 'HEAD'});
			expect(head.status, `HEAD ${path}`).toBe(200);
			expect(await head.text()).toBe('');
			for (const method of ['POST', 'PUT', 'DELETE']) {
				const response = await fetch(`${base}${path}`, {method});
				expect(response.status, `${method} ${path}`).toBe(405);
				expect(response.headers.get('allow')).toBe('GET, HEAD');
			}
		}
	});

	it('a stalled Redis holds neither /health, /livez nor /readyz while a scrape waits for it; the scrape then says which collector failed', async () => {
		redisProxy.stall();
		try {
			// past the 2 s cache, so this scrape asks Redis
			await sleep(2100);
			let scraped = false;
			const pending = fetch(`${base}/metrics`).then(async r => {
				scraped = true;
				return parsePrometheusText(await r.text());
			});
			await sleep(100);
			for (const path of ['/health', '/api/health', '/livez', '/readyz']) {
				expect((await fetch(`${base}${path}`)).status, path).toBe(200);
			}
			expect(scraped).toBe(false);
			const families = await pending;
			expect(sampleValue(families, 'opsdeck_scrape_collector_success', {collector: 'watches'})).toBe(0);
			expect(families.get('opsdeck_watch_count')!.samples).toEqual([]);
		} finally {
			redisProxy.resume();
		}
	});

	it('Redis killed: opsdeck_up{store="redis"} 0, degraded, no watch counts; back when it is', async () => {
		await redis.kill();
		try {
			const families = await scrapeUntil(f => sampleValue(f, 'opsdeck_up', {store: 'redis'}) === 0);
			expect(sampleValue(families, 'opsdeck_verdict')).toBe(1);
			expect(families.has('opsdeck_latency_seconds') && sampleValue(families, 'opsdeck_latency_seconds', {store: 'redis'})).toBe(undefined);
			expect(families.get('opsdeck_redis_memory_used_bytes')!.samples).toEqual([]);
		} finally {
			await redis.restart();
		}
		await scrapeUntil(f => sampleValue(f, 'opsdeck_up', {store: 'redis'}) === 1 && sampleValue(f, 'opsdeck_scrape_collector_success', {collector: 'watches'}) === 1);
	});

	it('PostgreSQL down: /livez 200 while /readyz 503 (unhealthy); opsdeck_up{store="postgres"} 0', async () => {
		const port = pgProxy.port;
		await pgProxy.close();
		try {
			await waitFor(async () => (await fetch(`${base}/readyz`)).status === 503, {timeout: 10_000});
			const ready = await fetch(`${base}/readyz`);
			expect(await ready.json()).toMatchObject({ready: false, verdict: 'unhealthy', reasons: expect.arrayContaining([expect.stringMatching(/^postgres down: /)])});
			expect((await fetch(`${base}/livez`)).status).toBe(200);
			const families = await scrapeUntil(f => sampleValue(f, 'opsdeck_up', {store: 'postgres'}) === 0);
			expect(sampleValue(families, 'opsdeck_verdict')).toBe(2);
			expect(sampleValue(families, 'opsdeck_scrape_collector_success', {collector: 'postgres'})).toBe(0);
		} finally {
			pgProxy = await startProxy({targetPort: Number(pg.port || 5432), targetHost: pg.hostname, port});
		}
		await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, {timeout: 10_000});
	});
});
