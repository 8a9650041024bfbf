// A heartbeat URL with user:password (BACKUP_HEARTBEAT_URL=http://hb:pw@host/…): fetch refuses a URL
// with credentials, so they go as an `Authorization: Basic` header (percent-decoded, as a browser
// does) and the URL goes without them; the password stays masked in what is reported. Against a local
// HTTP server that checks the header.
import http from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {heartbeat, pingText} from '../../../source/backups/remote/heartbeat.js';

type Seen = {readonly url: string; readonly authorization: string | undefined; readonly body: string};
const seen: Seen[] = [];
let server: http.Server;
let port = 0;
// what a browser sends for http://hb:p%40ss%3Aw%C3%B6rd@host/: "hb:p@ss:wörd"
const expected = `Basic ${Buffer.from('hb:p@ss:wörd', 'utf8').toString('base64')}`;

beforeAll(async () => {
	server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (d: Buffer) => (body += d.toString()));
		request.on('end', () => {
			seen.push({url: request.url ?? '', authorization: request.headers.authorization, body});
			response.writeHead(request.headers.authorization === expected ? 200 : 401);
			response.end();
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as {port: number}).port;
});

afterAll(async () => {
	server?.closeAllConnections();
	await new Promise(resolve => server?.close(resolve));
});

describe('a heartbeat URL with user:password', () => {
	it('is sent with an Authorization: Basic header, the userinfo out of the URL, the password masked in the result', async () => {
		seen.length = 0;
		const config = {backupHeartbeatUrl: `http://hb:p%40ss%3Aw%C3%B6rd@127.0.0.1:${port}/ping/abc`};
		const start = await heartbeat(config, 'start', {runId: 'r1'});
		const fail = await heartbeat(config, 'fail', {runId: 'r1', message: 'upload failed'});
		expect(start).toMatchObject({event: 'start', ok: true, status: 200});
		expect(fail).toMatchObject({event: 'fail', ok: true, status: 200});
		expect(seen.map(s => s.url)).toEqual(['/ping/abc/start?rid=r1', '/ping/abc/fail?rid=r1']);
		expect(seen.map(s => s.authorization)).toEqual([expected, expected]);
		for (const result of [start!, fail!]) {
			expect(result.url).toContain('hb:***@127.0.0.1');
			expect(JSON.stringify(result)).not.toMatch(/p%40ss|p@ss|w%C3%B6rd/);
		}
	});

	it('a refused one is reported with the password masked', async () => {
		const result = (await heartbeat({backupHeartbeatUrl: `http://hb:wrong-secret@127.0.0.1:${port}/ping/abc`}, 'success'))!;
		expect(result).toMatchObject({ok: false, status: 401, error: 'HTTP 401'});
		expect(pingText(result)).not.toContain('wrong-secret');
		expect(pingText(result)).toContain('hb:***@');
	});

	it('a URL without credentials gets no Authorization header', async () => {
		seen.length = 0;
		const result = (await heartbeat({backupHeartbeatUrl: `http://127.0.0.1:${port}/ping/abc`}, 'success'))!;
		expect(result.status).toBe(401);
		expect(seen).toEqual([{url: '/ping/abc', authorization: undefined, body: ''}]);
	});
});
