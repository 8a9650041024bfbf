// A probe right after start-up would report "down" for a backend that is still making its first
// connection; it waits (at most timeoutMs) for the first answer, up or down.
import type {StatusKeeper} from '../backends/status.js';

export type ProbeState = 'up' | 'down' | 'connecting';

export async function waitWhileConnecting(keeper: StatusKeeper, timeoutMs: number): Promise<void> {
	if (keeper.status.state !== 'connecting') return;
	await new Promise<void>(resolve => {
		const done = () => {
			clearTimeout(timer);
			off();
			resolve();
		};
		const off = keeper.onChange(status => {
			if (status.state !== 'connecting') done();
		});
		const timer = setTimeout(done, timeoutMs);
		timer.unref?.();
	});
}

/** latencies to 0.1 ms: finer is noise */
export function roundMs(ms: number): number {
	return Math.round(ms * 10) / 10;
}
