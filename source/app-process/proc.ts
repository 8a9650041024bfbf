// A process as /proc shows it (Linux): its state, when it started, its memory (RSS) and the CPU it
// has used. Every user may read these for every process (/proc/PID/stat and status are 0444).
import fs from 'node:fs/promises';

export type ProcInfo = {
	readonly pid: number;
	readonly ppid: number;
	/** R running, S sleeping, D disk wait, Z zombie, T stopped, … */
	readonly state: string;
	readonly command: string;
	/** epoch ms */
	readonly startedAt: number;
	readonly rssBytes: number | null;
	/** user + system CPU seconds so far */
	readonly cpuSeconds: number;
};

// USER_HZ: the unit of /proc's clock ticks, 100 on every Linux architecture's user-space ABI
const ticksPerSecond = 100;

let bootTime: number | undefined;

/** When the machine booted (epoch ms), from /proc/stat's btime. */
async function booted(): Promise<number> {
	if (bootTime === undefined) {
		const stat = await fs.readFile('/proc/stat', 'utf8');
		bootTime = Number(/^btime (\d+)$/m.exec(stat)?.[1] ?? 0) * 1000;
	}
	return bootTime;
}

/** /proc/PID/stat's fields after `(comm)` (the name may hold spaces and parentheses). */
export function parseStat(text: string): {command: string; fields: string[]} | undefined {
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	if (open === -1 || close < open) return undefined;
	return {command: text.slice(open + 1, close), fields: text.slice(close + 2).trim().split(' ')};
}

/** The process, or undefined when there is none by that pid (a zombie is one: state Z). */
export async function readProc(pid: number): Promise<ProcInfo | undefined> {
	let stat: string;
	let status = '';
	try {
		stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
		status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
	} catch {
		return undefined;
	}
	const parsed = parseStat(stat);
	if (!parsed) return undefined;
	// fields from the 3rd (state): state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) … starttime(22)
	const f = parsed.fields;
	const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
	return {
		pid,
		ppid: Number(f[1]),
		state: f[0]!,
		command: parsed.command,
		startedAt: (await booted()) + (Number(f[19]) / ticksPerSecond) * 1000,
		rssBytes: rss === undefined ? null : Number(rss) * 1024,
		cpuSeconds: (Number(f[11]) + Number(f[12])) / ticksPerSecond,
	};
}

/** Running (not gone, not a zombie waiting for its parent). */
export const isRunning = (info: ProcInfo | undefined): info is ProcInfo => info !== undefined && info.state !== 'Z' && info.state !== 'X';

/** CPU use between two readings of one process: a percentage of one core. */
export class CpuMeter {
	private readonly last = new Map<number, {cpuSeconds: number; at: number}>();

	/** undefined the first time a pid is seen (no interval yet) */
	percent(info: ProcInfo, now = performance.now()): number | undefined {
		const before = this.last.get(info.pid);
		this.last.set(info.pid, {cpuSeconds: info.cpuSeconds, at: now});
		if (!before || now - before.at < 50) return undefined;
		return Math.max(0, ((info.cpuSeconds - before.cpuSeconds) * 1000 * 100) / (now - before.at));
	}
}
