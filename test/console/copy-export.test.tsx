// `y` and `E` on the Keys tab against a real redis-server: without CLIPBOARD=osc52 nothing reaches
// the terminal; with it, exactly the highlighted key goes out as OSC 52 and the flash shows it
// escaped; E writes the listed keys to the folder typed (CSV, or JSON with Tab), and a folder
// that is not there is said, with nothing written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {App} from '../../source/console/app.js';
import {closeBackends, type Backends} from '../../source/backends/index.js';
import {osc52} from '../../source/clipboard/osc52.js';
import {testBackends} from '../helpers/chat-fixtures.js';
import {parseCsv} from '../helpers/csv.js';
import {startRedis, type RedisServerHandle} from '../helpers/redis-server.js';
import {keys, render, settle, type Rendered} from '../helpers/render.js';

let server: RedisServerHandle;
let direct: Redis;
let dir: string;
const open: Backends[] = [];

const evilKey = 'evil\u001b]0;pwned\u0007\nx';
// sorted as the list shows them once the scan is done
const listed = ['=cmd', 'a:first', 'b,comma', evilKey];

beforeAll(async () => {
	server = await startRedis();
	direct = new Redis(server.url);
	for (const key of listed) await direct.set(key, 'v');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-copy-export-'));
});

afterEach(async () => {
	while (open.length > 0) await closeBackends(open.pop()!);
});

afterAll(async () => {
	direct.disconnect();
	await server.stop();
	fs.rmSync(dir, {recursive: true, force: true});
});

async function start(env: Record<string, string>): Promise<Rendered> {
	const backends = testBackends(server.url, {env: {EXPORT_DIR: dir, ...env}});
	open.push(backends);
	const app = render(<App backends={backends} initialTab={1} />);
	await app.waitFor(s => s.includes('4 keys') && s.includes('done'));
	return app;
}

const written = (app: Rendered) => app.frames.filter(frame => frame.includes('\u001b]52;'));

describe('y: copy with OSC 52', () => {
	it('without CLIPBOARD=osc52: writes nothing to the terminal and says how to turn it on', async () => {
		const app = await start({});
		await app.press('y');
		await app.waitFor('set CLIPBOARD=osc52 to copy');
		expect(app.screen()).toContain('CLIPBOARD=osc52');
		expect(written(app)).toEqual([]);
	});

	it('with it: exactly the highlighted key goes out; the flash shows it escaped', async () => {
		const app = await start({CLIPBOARD: 'osc52'});
		await app.press('G', 'y');
		await app.waitFor('copied key');
		expect(written(app)).toEqual([osc52(evilKey, {tmux: Boolean(process.env.TMUX)})]);
		expect(app.screen()).toContain('copied key evil\\x1b]0;pwned\\x07\\x0ax');
		// Ink's colours apart, no escape from the key reached the frame
		expect(app.lastFrame()!.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/\u001b|\u0007/);
		// the help lists the keys
		await app.press('?');
		await app.waitFor('copy the highlighted key to the clipboard');
		expect(app.screen()).toContain('export the keys listed');
	});
});

describe('y in a value', () => {
	it('copies the value shown', async () => {
		await direct.set('a:first', 'the value\twith a tab');
		const app = await start({CLIPBOARD: 'osc52'});
		await app.press('j', keys.enter);
		await app.waitFor('string  ttl');
		await app.press('y');
		await app.waitFor('copied value the value\\x09with a tab');
		expect(written(app).at(-1)).toContain(Buffer.from('the value\twith a tab').toString('base64'));
		await direct.set('a:first', 'v');
	});
});

describe('E: export the list', () => {
	it('writes the keys as listed to the folder typed, CSV then JSON (Tab)', async () => {
		const app = await start({});
		await app.press('E');
		await app.waitFor('export to:');
		await settle(100);
		await app.press(keys.enter);
		const screen = await app.waitFor('(4 keys, CSV)');
		const csv = fs.readdirSync(dir).filter(name => name.endsWith('.csv'));
		expect(csv).toHaveLength(1);
		expect(screen).toContain(csv[0]!.slice(-12));
		const rows = parseCsv(fs.readFileSync(path.join(dir, csv[0]!), 'utf8'));
		expect(rows[0]).toEqual(['key', 'type', 'ttl', 'size']);
		// what the list shows: the hostile key escaped, the formula defused
		expect(rows.slice(1).map(r => r[0])).toEqual(["'=cmd", 'a:first', 'b,comma', 'evil\\x1b]0;pwned\\x07\\x0ax']);

		await app.press('E');
		await app.waitFor('export to:');
		await settle(100);
		await app.press(keys.tab);
		await app.waitFor(/export to: .*\.json/);
		await settle(100);
		await app.press(keys.enter);
		await app.waitFor('(4 keys, JSON)');
		const json = fs.readdirSync(dir).filter(name => name.endsWith('.json'));
		const objects = JSON.parse(fs.readFileSync(path.join(dir, json[0]!), 'utf8')) as {key: string}[];
		expect(objects.map(o => o.key)).toEqual(['=cmd', 'a:first', 'b,comma', 'evil\\x1b]0;pwned\\x07\\x0ax']);
	});

	it('a folder that is not there: nothing written, and it says why', async () => {
		const missing = path.join(dir, 'missing');
		const app = await start({EXPORT_DIR: missing});
		await app.press('E');
		await app.waitFor('export to:');
		await settle(100);
		await app.press(keys.enter);
		await app.waitFor('export failed, nothing written');
		expect(app.screen()).toContain('the folder does not exist (/tmp/');
		expect(fs.existsSync(missing)).toBe(false);
	});
});
