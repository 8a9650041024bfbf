// The app's process as text: one line for `opsdeck status` and the card, the lines of `opsdeck app
// status`, and a restart's outcome. Supervisor words and paths come from outside: sanitized here.
import type {AppProcessStatus} from '../app-process/status.js';
import {formatBytes, formatCount, formatDuration} from './format.js';
import {safe, sanitize, type Safe} from './sanitize.js';

const ports = (s: AppProcessStatus): Safe => (s.ports.length === 0 ? ('-' as Safe) : (s.ports.map(p => String(p)).join(', ') as Safe));
const restarts = (s: AppProcessStatus): Safe =>
	s.restarts === null ? safe`${s.restartsSeen} since opsdeck started` : safe`${formatCount(s.restarts)} (${s.restartsSeen} since opsdeck started)`;
const cpu = (s: AppProcessStatus): Safe => (s.cpuPercent === null ? ('-' as Safe) : (`${s.cpuPercent.toFixed(1)}%` as Safe));

/** `pm2:chat  pid 812  up 2h05m  restarts 3 (1 since opsdeck started)  rss 54 MB  cpu 0.4%  port 5555`, or why it is down. */
export function appProcessLine(s: AppProcessStatus): Safe {
	const name = sanitize(s.service);
	if (s.state !== 'up') return safe`${name}  ${sanitize(s.state === 'unknown' ? `unknown: ${s.error ?? s.detail}` : s.detail)}${s.restarts === null ? ('' as Safe) : safe`  restarts ${formatCount(s.restarts)}`}`;
	const pid = s.pid === null ? sanitize(`pid not visible ${s.error ?? ''}`.trim()) : safe`pid ${s.pid}`;
	return safe`${name}  ${pid}  up ${formatDuration(s.uptimeSeconds === null ? null : s.uptimeSeconds * 1000)}  restarts ${restarts(s)}  rss ${formatBytes(s.rssBytes)}  cpu ${cpu(s)}  port ${ports(s)}`;
}

/**
 * `opsdeck app status`: a label and a value a line. A one-shot command has seen no restart of its
 * own (`sinceStart: false`): only the supervisor's count, or what a pid file or a port cannot give.
 */
export function appStatusLines(s: AppProcessStatus, {sinceStart = true} = {}): Safe[] {
	// PM2 and systemd keep a count: none here means they do not know the app (PM2 not running, no such
	// process or unit), which the state says; a pid file or a port never has one
	const supervised = s.kind === 'pm2' || s.kind === 'systemd';
	const none = supervised ? safe`- (${sanitize(s.detail)})` : safe`- (${sanitize(s.kind)}: has no restart count; the console counts new pids while it runs)`;
	const count = sinceStart ? restarts(s) : s.restarts === null ? none : formatCount(s.restarts);
	const rows: Array<[string, Safe]> = [
		['service', sanitize(s.service)],
		['state', sanitize(`${s.state}: ${s.detail}`)],
		['pid', s.pid === null ? ('-' as Safe) : (s.pids.length > 1 ? (`${s.pid} (of ${s.pids.join(', ')})` as Safe) : (String(s.pid) as Safe))],
		['uptime', s.uptimeSeconds === null ? ('-' as Safe) : safe`${formatDuration(s.uptimeSeconds * 1000)} (since ${sanitize(s.startedAt ?? '-')})`],
		['restarts', count],
		['rss', formatBytes(s.rssBytes)],
		['cpu', cpu(s)],
		['ports', ports(s)],
	];
	if (s.error) rows.push(['note', sanitize(s.error)]);
	return rows.map(([label, value]) => safe`${label.padEnd(9) as Safe}${value}`);
}

/** The log lines shown under a failed restart, each sanitized and indented. */
export function logTail(lines: readonly string[]): Safe[] {
	return lines.map(line => safe`  ${sanitize(line)}`);
}
