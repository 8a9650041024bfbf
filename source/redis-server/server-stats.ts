// The Redis view's figures with rates: each poll's INFO compared with the previous poll's, per
// server, so "evicted 120/s" means now, not an average since the server started. A server seen for
// the first time (or restarted: a counter went down) has no rates until the next poll.
import {readServerInfo, type ServerInfo} from './info.js';
import type {ServerSource} from './servers.js';

export type ServerRates = {
	/** ms between the two samples */
	readonly intervalMs: number;
	readonly evicted: number;
	readonly evictedPerSec: number;
	readonly expired: number;
	readonly expiredPerSec: number;
	/** commands per second from total_commands_processed */
	readonly opsPerSec: number;
	/** hits / (hits + misses) between the samples; null when there were no lookups */
	readonly hitRatio: number | null;
};

export type ServerSample = ServerInfo & {
	/** null on the first sample of this server (or after it restarted) */
	readonly rates: ServerRates | null;
	/** keyspace hits / (hits + misses) since the server started */
	readonly hitRatioSinceStart: number | null;
	/** used / maxmemory; null without a limit */
	readonly memoryRatio: number | null;
};

const delta = (now: number | null, before: number | null): number | null => (now === null || before === null || now < before ? null : now - before);

function ratesBetween(before: ServerInfo, now: ServerInfo): ServerRates | null {
	const intervalMs = now.at - before.at;
	if (intervalMs <= 0) return null;
	// a counter that went down: the server restarted (or CONFIG RESETSTAT) in between
	const evicted = delta(now.evictedKeys, before.evictedKeys);
	const expired = delta(now.expiredKeys, before.expiredKeys);
	const commands = delta(now.commandsProcessed, before.commandsProcessed);
	const hits = delta(now.keyspaceHits, before.keyspaceHits);
	const misses = delta(now.keyspaceMisses, before.keyspaceMisses);
	if (evicted === null || expired === null || commands === null) return null;
	const seconds = intervalMs / 1000;
	const lookups = (hits ?? 0) + (misses ?? 0);
	return {
		intervalMs,
		evicted,
		evictedPerSec: evicted / seconds,
		expired,
		expiredPerSec: expired / seconds,
		opsPerSec: commands / seconds,
		hitRatio: hits !== null && misses !== null && lookups > 0 ? hits / lookups : null,
	};
}

/**
 * Keeps the previous sample of each server. `observe()` is pure apart from that memory (tested with
 * made-up INFO); `sample()` reads every server and observes. One instance per view (or command).
 */
export class ServerStats {
	readonly #previous = new Map<string, ServerInfo>();

	observe(infos: readonly ServerInfo[]): ServerSample[] {
		return infos.map(info => {
			const before = this.#previous.get(info.server);
			this.#previous.set(info.server, info);
			const lookups = (info.keyspaceHits ?? 0) + (info.keyspaceMisses ?? 0);
			return {
				...info,
				rates: before ? ratesBetween(before, info) : null,
				hitRatioSinceStart: lookups > 0 ? (info.keyspaceHits ?? 0) / lookups : null,
				memoryRatio: info.usedMemoryBytes !== null && info.maxMemoryBytes ? info.usedMemoryBytes / info.maxMemoryBytes : null,
			};
		});
	}

	async sample(redis: ServerSource): Promise<ServerSample[]> {
		return this.observe(await readServerInfo(redis));
	}

	/** Forgets the previous samples (a reconnect to another topology). */
	reset(): void {
		this.#previous.clear();
	}
}
