// A real S3 server on loopback for the off-site tests: s3rver (S3 in JavaScript) in this process,
// on a free port, storing in a temp dir, one bucket made at start. stop() is a server that goes away
// (listening socket closed and every open connection cut, as a crash would), start() brings it back
// on the same port with the same data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import {freePort} from './ports.js';

export type S3ServerHandle = {
	readonly port: number;
	/** http://127.0.0.1:PORT */
	readonly endpoint: string;
	readonly bucket: string;
	/** where s3rver keeps the objects */
	readonly dir: string;
	/** the environment opsdeck needs to reach it (endpoint, region, credentials, path style) */
	readonly env: Record<string, string>;
	/** every request the server received, `METHOD /path?query` (to see a multipart upload's parts) */
	readonly requests: string[];
	/** Closes the listening socket and cuts every open connection (a crash, as the client sees it). */
	stop(): Promise<void>;
	/** Listens again on the same port, same data. */
	start(): Promise<void>;
	/** Stops it and removes its directory. */
	close(): Promise<void>;
};

type Running = {run(): Promise<unknown>; close(): Promise<void>; httpServer?: import('node:http').Server};

export async function startS3Server(options: {bucket?: string} = {}): Promise<S3ServerHandle> {
	const bucket = options.bucket ?? 'opsdeck-test';
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-s3-'));
	const port = await freePort();
	let server: Running | undefined;
	const requests: string[] = [];
	const start = async () => {
		const s3 = new S3rver({port, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{name: bucket, configs: []}]}) as unknown as Running;
		await s3.run();
		s3.httpServer?.on('request', (request: import('node:http').IncomingMessage) => requests.push(`${request.method} ${request.url}`));
		server = s3;
	};
	const stop = async () => {
		const s = server;
		server = undefined;
		if (!s) return;
		const closed = s.close().catch(() => undefined);
		s.httpServer?.closeAllConnections();
		await closed;
	};
	await start();
	const endpoint = `http://127.0.0.1:${port}`;
	return {
		port,
		endpoint,
		bucket,
		dir,
		env: {AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER'},
		requests,
		stop,
		start,
		async close() {
			await stop();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}
