// The app's process, whichever way it is supervised: up or down, its pid, uptime, restarts (the
// supervisor's count, and those seen since opsdeck started), RSS and CPU from /proc, the ports it
// listens on. `opsdeck app status`, the health check (its verdict and the Status card) and the
// Logs tab's header all call appStatus(). It never throws: what cannot be known is `unknown`.
import {setTimeout as sleep} from 'node:timers/promises';
import fs from 'node:fs/promises';
import {errorMessage} from '../text/mask.js';
import {pm2DaemonRuns, pm2Home, pm2Processes} from './pm2.js';
import {notTheApps} from './pid-trust.js';
import {portOwner, portsOf} from './ports.js';
import {isRunning, readProc, type ProcInfo} from './proc.js';
import {serviceText, type AppService, type AppServiceKind} from './service.js';
import {systemdUnit} from './systemd.js';
import {appWatch, type AppWatch} from './tracker.js';

export type AppProcessState = 'up' | 'down' | 'unknown';

export type AppProcessStatus = {
	/** `pm2:chat`, as configured */
	readonly service: string;
	readonly kind: AppServiceKind;
	readonly state: AppProcessState;
	/** the supervisor's own word (`active (running)`, `online`, `errored`) or what was found */
	readonly detail: string;
	readonly pid: number | null;
	/** every process of it (PM2 cluster instances, a listener's forks) */
	readonly pids: readonly number[];
	/** ISO time of the last (re)start */
	readonly startedAt: string | null;
	readonly uptimeSeconds: number | null;
	/** the supervisor's restart count (PM2's restart_time, systemd's NRestarts); null for pidfile: and port: */
	readonly restarts: number | null;
	/** restarts seen since this opsdeck started */
	readonly restartsSeen: number;
	readonly rssBytes: number | null;
	/** % of one core, over the time since the last look (or a short sample) */
	readonly cpuPercent: number | null;
	/** TCP ports it listens on */
	readonly ports: readonly number[];
	/** why the state is unknown, or a note (a listener this user cannot see) */
	readonly error: string | null;
	/** PM2's log files of the process (its last lines when a restart fails) */
	readonly logFiles: readonly string[];
	/** a pid the pid file names that is not the app's (pid 1, opsdeck's own, another owner): why; never signalled */
	readonly notTheApps?: {readonly pid: number; readonly reason: string};
};

export type StatusOptions = {
	readonly watch?: AppWatch;
	/** with no earlier look at this pid, sample the CPU over this long (default 0: no figure yet) */
	readonly sampleMs?: number;
	readonly env?: NodeJS.ProcessEnv;
	readonly now?: number;
	/** ask the supervisor now (a restart waiting for its new pid), not what was kept from the last look */
	readonly fresh?: boolean;
};

type Found = {state: AppProcessState; detail: string; pids: number[]; restarts: number | null; startedAt?: number | null; error?: string | null; logFiles?: string[]; notTheApps?: {pid: number; reason: string}};

async function find(service: AppService, env: NodeJS.ProcessEnv, watch: AppWatch, fresh: boolean): Promise<Found> {
	switch (service.kind) {
		case 'systemd': {
			const unit = await systemdUnit(service.unit, env);
			if (unit.loadState === 'not-found') return {state: 'down', detail: `no unit ${service.unit} (LoadState=not-found)`, pids: [], restarts: null};
			const up = (unit.activeState === 'active' || unit.activeState === 'reloading') && unit.mainPid > 0;
			const failed = unit.result && unit.result !== 'success' ? `, result ${unit.result}` : '';
			return {state: up ? 'up' : 'down', detail: `${unit.activeState} (${unit.subState})${up ? '' : failed}`, pids: unit.mainPid > 0 ? [unit.mainPid] : [], restarts: unit.restarts, startedAt: unit.startedAt};
		}
		case 'pm2': {
			if (!(await pm2DaemonRuns(env))) return {state: 'down', detail: `PM2 is not running (PM2_HOME ${pm2Home(env)})`, pids: [], restarts: null};
			const processes = await watch.pm2.get(service.name, () => pm2Processes(service.name, env), {fresh});
			if (processes.length === 0) return {state: 'down', detail: `PM2 has no process named ${service.name}`, pids: [], restarts: null};
			const statuses = [...new Set(processes.map(p => p.status))];
			const online = processes.filter(p => p.status === 'online' && p.pid > 0);
			return {
				state: online.length > 0 ? 'up' : 'down',
				detail: statuses.join(', ') + (processes.length > 1 ? ` (${online.length} of ${processes.length} instances online)` : ''),
				pids: online.map(p => p.pid),
				restarts: processes.reduce((sum, p) => sum + p.restarts, 0),
				startedAt: processes[0]!.startedAt,
				logFiles: [...new Set(processes.flatMap(p => [p.errLog, p.outLog]).filter((f): f is string => f !== null))],
			};
		}
		case 'pidfile': {
			let text: string;
			try {
				text = await fs.readFile(service.path, 'utf8');
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				return {state: code === 'ENOENT' ? 'down' : 'unknown', detail: code === 'ENOENT' ? `no pid file ${service.path}` : `cannot read ${service.path}`, pids: [], restarts: null, error: code === 'ENOENT' ? null : errorMessage(error)};
			}
			const pid = /^\s*(\d+)\s*$/.exec(text)?.[1];
			if (!pid) return {state: 'down', detail: `${service.path} holds no pid`, pids: [], restarts: null};
			if (!isRunning(await readProc(Number(pid)))) return {state: 'down', detail: `pid ${pid} from ${service.path} is not running`, pids: [], restarts: null};
			const reason = await notTheApps(Number(pid), service.path);
			if (reason) return {state: 'unknown', detail: `pid ${pid} from ${service.path} is not the app's (${reason})`, pids: [], restarts: null, notTheApps: {pid: Number(pid), reason}};
			return {state: 'up', detail: `running (pid file ${service.path})`, pids: [Number(pid)], restarts: null};
		}
		case 'port': {
			const owner = await portOwner(service.port);
			if (!owner.listening) return {state: 'down', detail: `nothing listens on port ${service.port}`, pids: [], restarts: null};
			const seen = owner.pids.length > 0 ? `listening on port ${service.port}` : `port ${service.port} is listened on`;
			return {state: 'up', detail: seen, pids: owner.pids, restarts: null, error: owner.hidden && owner.pids.length === 0 ? 'by a process this user cannot see (run opsdeck as its user, or as root, for its pid)' : null};
		}
	}
}

/** Of several pids (forks sharing a socket), the one whose parent is not among them. */
async function mainPid(pids: readonly number[]): Promise<{pid: number; info: ProcInfo | undefined} | undefined> {
	const infos = await Promise.all(pids.map(async pid => ({pid, info: await readProc(pid)})));
	return infos.find(({info}) => !info || !pids.includes(info.ppid)) ?? infos[0];
}


export async function appStatus(service: AppService, options: StatusOptions = {}): Promise<AppProcessStatus> {
	const watch = options.watch ?? appWatch;
	const env = options.env ?? process.env;
	const key = serviceText(service);
	let found: Found;
	try {
		found = await find(service, env, watch, options.fresh ?? false);
	} catch (error) {
		found = {state: 'unknown', detail: 'cannot tell', pids: [], restarts: null, error: errorMessage(error)};
	}
	const main = await mainPid(found.pids);
	let info = main?.info;
	let cpu = info ? watch.cpu.percent(info) : undefined;
	if (info && cpu === undefined && (options.sampleMs ?? 0) > 0) {
		await sleep(options.sampleMs!);
		info = (await readProc(info.pid)) ?? info;
		cpu = watch.cpu.percent(info);
	}
	const now = options.now ?? Date.now();
	const startedAt = info?.startedAt ?? found.startedAt ?? null;
	const ports = new Set(main ? await portsOf(main.pid) : []);
	if (service.kind === 'port' && found.state === 'up') ports.add(service.port);
	const pid = main?.pid ?? null;
	return {
		service: key,
		kind: service.kind,
		state: found.state,
		detail: found.detail,
		pid,
		pids: found.pids,
		startedAt: startedAt === null ? null : new Date(startedAt).toISOString(),
		uptimeSeconds: startedAt === null || found.state !== 'up' ? null : Math.max(0, (now - startedAt) / 1000),
		restarts: found.restarts,
		restartsSeen: watch.restarts.observe(key, found.state === 'up' ? pid : null, found.restarts),
		rssBytes: info?.rssBytes ?? null,
		cpuPercent: cpu === undefined ? null : Math.round(cpu * 10) / 10,
		ports: [...ports].sort((a, b) => a - b),
		error: found.error ?? null,
		logFiles: found.logFiles ?? [],
		...(found.notTheApps ? {notTheApps: found.notTheApps} : {}),
	};
}

/** The status when asking took too long or failed outright (the health check's timeout). */
export function appUnknown(service: AppService, error: unknown): AppProcessStatus {
	return {service: serviceText(service), kind: service.kind, state: 'unknown', detail: 'cannot tell', pid: null, pids: [], startedAt: null, uptimeSeconds: null, restarts: null, restartsSeen: 0, rssBytes: null, cpuPercent: null, ports: [], error: errorMessage(error), logFiles: []};
}
