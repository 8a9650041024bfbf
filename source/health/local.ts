// The cards that are not database servers: the SQLite data file with its backup folder (newest
// backup, free disk), the app's own health URL, and this process.
import fs from 'node:fs/promises';
import path from 'node:path';
import type {SqliteBackend} from '../backends/index.js';
import {withTimeout} from '../backends/status.js';
import {errorMessage, mask} from '../text/mask.js';
import {roundMs} from './wait.js';
import {fetchTarget} from '../system/url-credentials.js';

export type SqliteHealth = {
	readonly path: string;
	readonly state: 'up' | 'down';
	readonly sizeBytes: number | null;
	readonly walBytes: number | null;
	readonly journalMode: string | null;
	readonly error: string | null;
};

export type BackupsHealth = {
	readonly dir: string;
	/** *.db files in the folder */
	readonly count: number;
	readonly newest: string | null;
	readonly newestAgeMs: number | null;
	/** of the file system holding the folder (or its nearest existing parent) */
	readonly diskFreeBytes: number | null;
	readonly diskTotalBytes: number | null;
	readonly diskFreeRatio: number | null;
	readonly error: string | null;
	/** with BACKUP_REMOTE: the backups whose last upload failed, oldest first (backups/remote/offsite.ts) */
	readonly notOffsite?: readonly string[];
};

export type AppHealth = {
	readonly url: string;
	readonly state: 'up' | 'down';
	readonly httpStatus: number | null;
	readonly latencyMs: number | null;
	readonly error: string | null;
};

export type ProcessHealth = {
	readonly pid: number;
	readonly uptimeSeconds: number;
	readonly rssBytes: number;
	readonly heapUsedBytes: number;
	readonly pollIntervalMs: number;
	readonly nodeVersion: string;
};

export async function probeSqlite(sqlite: SqliteBackend, timeoutMs: number): Promise<SqliteHealth> {
	try {
		const info = await withTimeout(sqlite.info(), timeoutMs, `no answer within ${timeoutMs} ms`);
		return {
			path: info.path,
			state: info.ok ? 'up' : 'down',
			sizeBytes: info.sizeBytes ?? null,
			walBytes: info.walBytes ?? null,
			journalMode: info.journalMode ?? null,
			error: info.error ?? null,
		};
	} catch (error) {
		return {path: sqlite.path, state: 'down', sizeBytes: null, walBytes: null, journalMode: null, error: errorMessage(error)};
	}
}

/** The folder itself, or the nearest parent that exists (backups will be written there). */
async function existingAncestor(dir: string): Promise<string> {
	let current = path.resolve(dir);
	for (;;) {
		try {
			await fs.access(current);
			return current;
		} catch {
			const parent = path.dirname(current);
			if (parent === current) return current;
			current = parent;
		}
	}
}

export async function probeBackups(dir: string, now = Date.now()): Promise<BackupsHealth> {
	let count = 0;
	let newest: string | null = null;
	let newestMtime = 0;
	let error: string | null = null;
	try {
		const names = (await fs.readdir(dir)).filter(name => name.endsWith('.db'));
		count = names.length;
		for (const name of names) {
			const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
			if (stat?.isFile() && stat.mtimeMs > newestMtime) {
				newestMtime = stat.mtimeMs;
				newest = name;
			}
		}
	} catch (err) {
		// no folder yet just means no backups yet
		if ((err as NodeJS.ErrnoException).code !== 'ENOENT') error = errorMessage(err);
	}
	let disk: {free: number; total: number} | undefined;
	try {
		const stats = await fs.statfs(await existingAncestor(dir));
		disk = {free: stats.bavail * stats.bsize, total: stats.blocks * stats.bsize};
	} catch (err) {
		error ??= errorMessage(err);
	}
	return {
		dir,
		count,
		newest,
		newestAgeMs: newest ? Math.max(0, now - newestMtime) : null,
		diskFreeBytes: disk?.free ?? null,
		diskTotalBytes: disk?.total ?? null,
		diskFreeRatio: disk && disk.total > 0 ? disk.free / disk.total : null,
		error,
	};
}

export function backupsFailed(dir: string, error: unknown): BackupsHealth {
	return {dir, count: 0, newest: null, newestAgeMs: null, diskFreeBytes: null, diskTotalBytes: null, diskFreeRatio: null, error: errorMessage(error)};
}

/** GET the app's health URL; any 2xx (after redirects) within the timeout is up. */
export async function probeApp(url: string, timeoutMs: number): Promise<AppHealth> {
	const started = performance.now();
	const masked = mask(url);
	try {
		// (user:password in the URL as a Basic header: fetch refuses a URL with credentials)
		const target = fetchTarget(url);
		const response = await fetch(target.url, {signal: AbortSignal.timeout(timeoutMs), headers: {accept: 'application/json, */*', ...target.headers}});
		// the body is not needed; drain it so the socket is freed
		await response.arrayBuffer().catch(() => undefined);
		const latencyMs = roundMs(performance.now() - started);
		const ok = response.status >= 200 && response.status < 300;
		return {url: masked, state: ok ? 'up' : 'down', httpStatus: response.status, latencyMs, error: ok ? null : `HTTP ${response.status}`};
	} catch (error) {
		const name = (error as Error).name;
		const cause = (error as {cause?: unknown}).cause;
		const message = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : errorMessage(cause ?? error);
		return {url: masked, state: 'down', httpStatus: null, latencyMs: null, error: message};
	}
}

export function probeProcess(pollIntervalMs: number): ProcessHealth {
	const memory = process.memoryUsage();
	return {
		pid: process.pid,
		uptimeSeconds: process.uptime(),
		rssBytes: memory.rss,
		heapUsedBytes: memory.heapUsed,
		pollIntervalMs,
		nodeVersion: process.version,
	};
}
