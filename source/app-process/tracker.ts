// What opsdeck remembers about the app's process while it runs: restarts seen since it started
// (the supervisor's count going up, or the pid changing — a pid file or a port has no count, and
// systemd's NRestarts leaves out `systemctl restart`), and the last CPU reading for a percentage.
// One per opsdeck process (`appWatch`), shared by the Status card, the health endpoint and the tab.
import type {Pm2Process} from './pm2.js';
import {CpuMeter, isRunning, readProc} from './proc.js';

type Seen = {lastCount: number | null; counted: number; lastPid: number | null; pidChanges: number};

export class RestartTracker {
	private readonly seen = new Map<string, Seen>();

	/**
	 * One look at the service (`key`): its pid (null when down) and the supervisor's restart count
	 * (null when it has none). Returns the restarts seen since the first look. Two restarts between
	 * two looks count as one when only the pid tells.
	 */
	observe(key: string, pid: number | null, count: number | null): number {
		let s = this.seen.get(key);
		if (!s) {
			s = {lastCount: count, counted: 0, lastPid: pid, pidChanges: 0};
			this.seen.set(key, s);
			return 0;
		}
		if (pid !== null && s.lastPid !== null && pid !== s.lastPid) s.pidChanges++;
		if (pid !== null) s.lastPid = pid;
		if (count !== null) {
			// a count that went down was reset (`pm2 reset`, a new PM2 daemon): it counts from 0 again
			if (s.lastCount !== null) s.counted += count >= s.lastCount ? count - s.lastCount : count;
			s.lastCount = count;
		}
		return Math.max(s.counted, s.pidChanges);
	}
}

/**
 * `pm2 jlist` starts a node process of its own (~0.2 s of CPU): the console's poll every second
 * would keep a core a quarter busy. Its answer is kept for 10 s while every pid in it still runs;
 * /proc gives the live figures in between. A restart asks afresh.
 */
export class Pm2Cache {
	private readonly kept = new Map<string, {at: number; processes: Pm2Process[]}>();

	async get(name: string, fetch: () => Promise<Pm2Process[]>, {fresh = false, maxAgeMs = 10_000, now = Date.now()} = {}): Promise<Pm2Process[]> {
		const kept = this.kept.get(name);
		if (!fresh && kept && now - kept.at < maxAgeMs) {
			const running = await Promise.all(kept.processes.filter(p => p.status === 'online').map(async p => isRunning(await readProc(p.pid))));
			if (running.every(Boolean)) return kept.processes;
		}
		const processes = await fetch();
		this.kept.set(name, {at: now, processes});
		return processes;
	}
}

export type AppWatch = {readonly restarts: RestartTracker; readonly cpu: CpuMeter; readonly pm2: Pm2Cache};

export function newAppWatch(): AppWatch {
	return {restarts: new RestartTracker(), cpu: new CpuMeter(), pm2: new Pm2Cache()};
}

/** This opsdeck process's: "since opsdeck started". */
export const appWatch: AppWatch = newAppWatch();
