// A healthchecks.io stand-in on loopback: records every ping (method, path, body) it receives.
import http from 'node:http';
import type net from 'node:net';

export type Ping = {readonly method: string; readonly path: string; readonly body: string};
export type HeartbeatReceiver = {readonly url: string; readonly pings: Ping[]; close(): Promise<void>};

export async function startHeartbeatReceiver(): Promise<HeartbeatReceiver> {
	const pings: Ping[] = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (d: Buffer) => (body += d.toString()));
		request.on('end', () => {
			pings.push({method: request.method ?? '', path: (request.url ?? '').replace(/\?.*$/, ''), body});
			response.end('OK');
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	return {url: `http://127.0.0.1:${port}/ping/abc-123`, pings, close: () => new Promise(resolve => server.close(() => resolve()))};
}
