// LATENCY LATEST of every server: the latest and the worst spike of each event the latency monitor
// saw. The monitor is off unless latency-monitor-threshold is set; then each server says so, with
// the command that turns it on.
import {configValue, eachServer, type ServerSource} from './servers.js';

export type LatencyEvent = {
	readonly event: string;
	/** unix seconds of the latest spike */
	readonly time: number;
	readonly latestMs: number;
	readonly maxMs: number;
};

export type LatencyServer = {
	readonly server: string;
	/** latency-monitor-threshold in ms: 0 = off; null when CONFIG is refused */
	readonly thresholdMs: number | null;
	readonly events: readonly LatencyEvent[];
	/** set when the monitor is off: how to turn it on */
	readonly hint: string | null;
};

export const latencyHint = 'latency monitoring is off: CONFIG SET latency-monitor-threshold 100 (ms) turns it on';

const unknownHint = 'no latency events (CONFIG GET is refused here, so whether latency-monitor-threshold is set is unknown)';

export async function readLatency(redis: ServerSource): Promise<LatencyServer[]> {
	return eachServer(redis, async ({name, client}) => {
		const [threshold, reply] = await Promise.all([configValue(client, 'latency-monitor-threshold'), client.call('LATENCY', 'LATEST') as Promise<unknown[]>]);
		const events = reply.map(row => {
			const [event, time, latest, max] = row as [string, number, number, number];
			return {event: String(event), time: Number(time), latestMs: Number(latest), maxMs: Number(max)};
		});
		const thresholdMs = threshold === null ? null : Number(threshold);
		// with CONFIG refused, no events may mean either
		const hint = thresholdMs === 0 ? latencyHint : thresholdMs === null && events.length === 0 ? unknownHint : null;
		return {server: name, thresholdMs, events: events.sort((a, b) => b.time - a.time), hint};
	});
}
