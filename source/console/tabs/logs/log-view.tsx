// What the Logs tab draws: the app's process (APP_SERVICE) on the first line, the source and what
// it is doing on the next, then the lines (log-rows.ts: sanitized, matches marked), or what to set
// when there is nothing to read. Every text from outside goes through sanitize or a presenter.
import {Box, Text} from 'ink';
import type {AppProcessStatus} from '../../../app-process/status.js';
import type {Level} from '../../../logs/level.js';
import {fit, formatBytes, formatCount, formatDuration, wrapCells} from '../../../text/format.js';
import {safe, sanitize, type Safe} from '../../../text/sanitize.js';
import {SafeText} from '../../components/safe-text.js';
import type {Row} from './log-rows.js';

const levelColor: Partial<Record<Level, string>> = {fatal: 'red', error: 'red', warn: 'yellow'};

export function LogRows({rows, width, height}: {readonly rows: readonly Row[]; readonly width: number; readonly height: number}) {
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			{rows.map((row, i) => (
				<Text key={i} wrap="truncate" color={levelColor[row.level ?? 'info']} dimColor={row.level === 'debug' || row.level === 'trace'} bold={row.current}>
					{row.segments.length === 0 ? ' ' : row.segments.map((segment, j) => segment.mark
						? <SafeText key={j} backgroundColor={row.current ? 'cyan' : 'yellow'} color="black">{segment.text}</SafeText>
						: <SafeText key={j}>{segment.text || (' ' as Safe)}</SafeText>)}
				</Text>
			))}
		</Box>
	);
}

const stateColor = {up: 'green', down: 'red', unknown: 'yellow'} as const;

/** The app's process in one line: state, pid, uptime, restarts, RSS, CPU, port (or why it is down). */
export function AppLine({status, error, restarting, width}: {readonly status: AppProcessStatus | undefined; readonly error: string | undefined; readonly restarting: boolean; readonly width: number}) {
	if (!status) return <SafeText dimColor wrap="truncate">{fit(sanitize(error ? `app: ${error}` : 'app: looking…'), width)}</SafeText>;
	const head = restarting ? 'RESTARTING ' : `${status.state.toUpperCase()} `;
	return (
		<Text wrap="truncate">
			<Text color={restarting ? 'yellow' : stateColor[status.state]} bold>{head}</Text>
			<SafeText>{fit(appHeaderText(status), Math.max(1, width - head.length))}</SafeText>
		</Text>
	);
}

/** The pid first (a narrow pane keeps it), then uptime, restarts, RSS, CPU, port, and the service. */
export function appHeaderText(s: AppProcessStatus): Safe {
	const name = sanitize(s.service);
	if (s.state !== 'up') return safe`${sanitize(s.state === 'unknown' ? (s.error ?? s.detail) : s.detail)} · ${name}`;
	const restarts = s.restarts === null ? safe`${s.restartsSeen}` : safe`${formatCount(s.restarts)} (${s.restartsSeen} here)`;
	const cpu = s.cpuPercent === null ? '-' : `${s.cpuPercent.toFixed(1)}%`;
	const pid = s.pid === null ? sanitize('pid ?') : safe`pid ${s.pid}`;
	return safe`${pid} · up ${formatDuration(s.uptimeSeconds === null ? null : s.uptimeSeconds * 1000)} · restarts ${restarts} · rss ${formatBytes(s.rssBytes)} · cpu ${sanitize(cpu)} · port ${sanitize(s.ports.join(',') || '-')} · ${name}`;
}

/** Lines wrapped to the pane, cut to its height (the note when there are no sources, a failed restart). */
export function Note({lines, width, height, color}: {readonly lines: readonly Safe[]; readonly width: number; readonly height: number; readonly color?: string}) {
	const wrapped = lines.flatMap(line => wrapCells(line, width)).slice(0, Math.max(0, height));
	return (
		<Box flexDirection="column" width={width}>
			{wrapped.map((line, i) => <SafeText key={i} color={i === 0 ? color : undefined} wrap="truncate">{line || (' ' as Safe)}</SafeText>)}
		</Box>
	);
}

/** What to set when LOG_FILES and LOG_UNIT name nothing. */
export function noSourcesLines(unmatched: readonly string[]): Safe[] {
	if (unmatched.length > 0) return [sanitize(`LOG_FILES ${unmatched.join(', ')} matches no file yet.`), sanitize('r reads the sources again.')];
	return [
		sanitize('No log sources.'),
		sanitize('Set LOG_FILES to the app\'s log files (paths or globs, comma-separated, e.g. ./logs/*.log), or LOG_UNIT to its systemd unit (read with journalctl).'),
	];
}
