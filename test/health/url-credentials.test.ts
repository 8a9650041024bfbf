// Every URL opsdeck fetches may carry user:password (as curl and browsers take it): the alert
// webhook (ALERT_WEBHOOK_URL) and the app's health URL (APP_HEALTH_URL) as the heartbeat does
// (test/backups/remote/heartbeat-auth.test.ts). fetch refused such a URL ("Request cannot be
// constructed from a URL that includes credentials"): the webhook never sent, the app was always
// "down". Now an Authorization: Basic header, the URL without them; the password masked in what is
// shown. Against a local HTTP server that checks the header.
import http from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {AlertNotifier} from '../../source/health/alerts.js';
import {probeApp} from '../../source/health/local.js';
import {waitFor} from '../helpers/wait.js';

let server: http.Server;
let port = 0;
const seen: {url: string; authorization: string | undefined}[] = [];
// what a browser sends for http://ops:s%40fe%3Apw@host/: "ops:s@fe:pw"
const expected = `Basic ${Buffer.from('ops:s@fe:pw', 'utf8').toString('base64')}`;

beforeAll(async () => {
	server = http.createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			seen.push({url: request.url ?? '', authorization: request.headers.authorization});
			response.writeHead(request.headers.authorization === expected ? 200 : 401, {'content-type': 'application/json'});
			response.end('{}');
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as {port: number}).port;
});
afterAll(async () => {
	server?.closeAllConnections();
	await new Promise(resolve => server?.close(resolve));
});

describe('a URL with user:password', () => {
	it('APP_HEALTH_URL: the probe sends them as Basic auth and is up; the URL shown is masked', async () => {
		seen.length = 0;
		const app = await probeApp(`http://ops:s%40fe%3Apw@127.0.0.1:${port}/healthz`, 2000);
		expect(app).toMatchObject({state: 'up', httpStatus: 200, error: null});
		expect(seen).toEqual([{url: '/healthz', authorization: expected}]);
		expect(app.url).not.toMatch(/s%40fe|s@fe/);
		// the wrong password: down with the server's 401, not fetch's refusal of the URL
		const wrong = await probeApp(`http://ops:nope@127.0.0.1:${port}/healthz`, 2000);
		expect(wrong).toMatchObject({state: 'down', httpStatus: 401});
		expect(JSON.stringify(wrong)).not.toContain('nope');
	});

	it('ALERT_WEBHOOK_URL: the alert is sent with Basic auth', async () => {
		seen.length = 0;
		const logs: string[] = [];
		const alerts = new AlertNotifier({url: `http://ops:s%40fe%3Apw@127.0.0.1:${port}/hook`, retryMs: 60_000, log: line => logs.push(line)});
		const checkedAt = new Date().toISOString();
		alerts.observe({verdict: 'healthy', reasons: [], checkedAt});
		alerts.observe({verdict: 'degraded', reasons: [{component: 'redis', level: 'degraded', message: 'redis slow'}], checkedAt});
		try {
			await waitFor(() => alerts.sent + alerts.failed > 0, {timeout: 5000});
			expect(logs).toEqual([]);
			expect(alerts.sent).toBe(1);
			expect(seen).toEqual([{url: '/hook', authorization: expected}]);
		} finally {
			alerts.close();
		}
	});
});
