#!/usr/bin/env node
// npm run media (or node media/dashboard.mjs after npm run build): the README's picture of
// examples/grafana-dashboard.json. Grafana is not available offline, so this is NOT a Grafana
// screenshot: it runs the real `opsdeck serve` against a private redis-server (with traffic this
// script writes: chat messages, cache reads and writes that hit maxmemory and evict), the local
// PostgreSQL (OPSDECK_TEST_PG_URL, read only) and a real SQLite file with a backup, scrapes
// /metrics SCRAPES (20) times 2 s apart, evaluates each panel's queries from the dashboard
// JSON over those scrapes (the few PromQL forms the dashboard uses: a selector, rate(x[1m]),
// time() - x) and draws the panels, titles and legends as the JSON defines them to
// media/dashboard.svg.
import {spawn, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Database from 'better-sqlite3';
import {Redis} from 'ioredis';
import {startRedis} from '../test/bench/lib/proc.mjs';
import {drawDashboard} from './dashboard-svg.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'build', 'bundle', 'bin.js');
const dashboard = JSON.parse(fs.readFileSync(path.join(here, '..', 'examples', 'grafana-dashboard.json'), 'utf8'));
const adminUrl = process.env.OPSDECK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// 2 s apart: opsdeck serves one scrape's text for 2 s
const scrapeCount = Number(process.env.SCRAPES ?? 20);
const scrapeGapMs = 2100;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const log = message => process.stderr.write(`media/dashboard: ${message}\n`);

/** name{a="x"} value lines → [{name, labels, value}] (the text has been checked by the tests' strict parser) */
function parse(text) {
	const out = [];
	for (const line of text.split('\n')) {
		const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
		if (!m) continue;
		const labels = {};
		for (const [, k, v] of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
		out.push({name: m[1], labels, value: Number(m[4])});
	}
	return out;
}

/** One query over the scrapes: series {labels, points: [[t, v]]}. */
function evaluate(expr, scrapes) {
	let m;
	const series = new Map();
	const add = (labels, t, v) => {
		const id = JSON.stringify(labels);
		if (!series.has(id)) series.set(id, {labels, points: []});
		series.get(id).points.push([t, v]);
	};
	if ((m = /^rate\((\w+)\[\w+\]\)$/.exec(expr))) {
		const previous = new Map();
		for (const {t, samples} of scrapes) {
			for (const s of samples.filter(s => s.name === m[1])) {
				const id = JSON.stringify(s.labels);
				const before = previous.get(id);
				if (before) add(s.labels, t, Math.max(0, s.value - before.value) / ((t - before.t) / 1000));
				previous.set(id, {t, value: s.value});
			}
		}
	} else if ((m = /^time\(\) - (\w+)$/.exec(expr))) {
		for (const {t, samples} of scrapes) for (const s of samples.filter(s => s.name === m[1])) add(s.labels, t, t / 1000 - s.value);
	} else if (/^\w+$/.test(expr)) {
		for (const {t, samples} of scrapes) for (const s of samples.filter(s => s.name === expr)) add(s.labels, t, s.value);
	} else throw new Error(`the dashboard uses a query this script cannot evaluate: ${expr}`);
	return [...series.values()];
}

const legend = (format, labels) => (format || '{{__name__}}').replace(/\{\{(\w+)\}\}/g, (_, k) => labels[k] ?? '');

async function main() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-dashboard-'));
	const redis = await startRedis();
	const writer = new Redis(redis.url());
	// a cache that fills up: keys with a TTL are evicted (volatile-lru), the chats (no TTL) stay
	await writer.config('SET', 'maxmemory', String(6 * 1024 * 1024));
	await writer.config('SET', 'maxmemory-policy', 'volatile-lru');
	const sqlitePath = path.join(dir, 'app.db');
	const db = new Database(sqlitePath);
	db.pragma('journal_mode = WAL');
	db.exec('create table messages (id integer primary key, chat text, content text)');
	const env = {...process.env, REDIS_URL: redis.url(), DATABASE_URL: adminUrl, SQLITE_PATH: sqlitePath, BACKUP_DIR: path.join(dir, 'backups'), POLL_INTERVAL_MS: '500', OPSDECK_AUDIT_LOG: path.join(dir, 'audit.log'), XDG_STATE_HOME: path.join(dir, 'state'), NO_COLOR: '1'};
	execFileSync(process.execPath, [bin, 'backup', 'create'], {env, cwd: dir, stdio: 'ignore'});
	const serve = spawn(process.execPath, [bin, 'serve', '--port', '0'], {env, cwd: dir, stdio: ['ignore', 'pipe', 'inherit']});
	let out = '';
	serve.stdout.on('data', d => (out += d));
	try {
		for (let i = 0; i < 100 && !/listening on (\S+) /.test(out); i++) await sleep(100);
		const base = /listening on (\S+) /.exec(out)?.[1];
		if (!base) throw new Error(`serve did not start: ${out}`);
		log(`scraping ${base}/metrics ${scrapeCount} times, ${scrapeGapMs} ms apart`);
		const scrapes = [];
		let n = 0;
		const chats = ['lobby', 'support', 'random', 'dev'];
		for (let second = 0; second < scrapeCount; second++) {
			// a scrape's worth of traffic: messages (more in the lobby), cache reads (hits and misses), cache writes
			const burst = writer.pipeline();
			for (let i = 0; i < 20 + 15 * Math.sin(second / 4); i++) {
				const chat = chats[(i * 7 + second) % (i % 3 === 0 ? 1 : chats.length)];
				burst.zadd(`chat:${chat}:messages`, Date.now(), `{"id":${++n}}`);
				burst.get(`cache:user:${(n * 13) % 400}`);
				burst.set(`cache:user:${n % 400}`, 'x'.repeat(4096 + second * 1024), 'EX', 3600);
			}
			await burst.exec();
			const insert = db.prepare('insert into messages (chat, content) values (?, ?)');
			db.transaction(() => { for (let i = 0; i < 200; i++) insert.run(chats[i % 4], 'x'.repeat(200)); })();
			const text = await (await fetch(`${base}/metrics`)).text();
			scrapes.push({t: Date.now(), samples: parse(text)});
			await sleep(scrapeGapMs);
		}
		const panels = dashboard.panels.map(panel => ({
			...panel,
			series: panel.targets.flatMap(target => evaluate(target.expr, scrapes).map(s => ({...s, name: legend(target.legendFormat, s.labels)}))),
		}));
		const svg = drawDashboard(dashboard.title, panels, {from: scrapes[0].t, to: scrapes.at(-1).t});
		fs.writeFileSync(path.join(here, 'dashboard.svg'), svg);
		log(`wrote media/dashboard.svg (${panels.length} panels from ${scrapes.length} scrapes)`);
	} finally {
		serve.kill('SIGTERM');
		writer.disconnect();
		db.close();
		await redis.stop();
		fs.rmSync(dir, {recursive: true, force: true});
	}
}

await main();
