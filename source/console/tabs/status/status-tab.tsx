// Status: a card per store plus the console process, the overall verdict with its reasons, and
// the actions P (reconnect PostgreSQL), R (reconnect Redis), F (flush the cache, confirmed).
// The health poll runs in useHealth() whether or not this tab is shown; it only draws when shown.
// The verdict, its reasons and the cards all come from that one report; what an action did is said
// in the bottom bar (with its time, and gone when stale: frame/use-flash.ts), never in a line of
// its own that could outlive what it says.
import {Box, Text} from 'ink';
import {useCallback, useEffect, useRef, useState, type ReactNode} from 'react';
import {flushRedis, flushTarget, type FlushTarget} from '../../../cache/flush.js';
import {reconnectBackend, reconnectMessage, type ReconnectTarget} from '../../../health/reconnect.js';
import {componentLines, type ComponentLine} from '../../../text/health-text.js';
import type {HealthReport, Verdict} from '../../../health/health.js';
import {formatClock, formatCount, fit} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {safe, sanitize} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {moreMark} from '../../components/scroll-lines.js';
import {scrollRoom, useScroll} from '../../hooks/use-scroll.js';
import {StatusCard, stateColor} from './status-card.js';
import {cardsFor, type Card} from './status-cards.js';
import {useBackends, useFrame, useKeyspace} from '../../context.js';
import {TabScreen} from '../../components/tab-screen.js';
import {statusKeymap} from './keymap.js';
import {useHealth} from './use-health.js';
import {overviewRows, ProfilesOverview, useProfilesOverview} from './profiles-overview.js';
import type {TabDefinition, TabProps} from '../types.js';
import type {KeyEntry} from '../../input/keymap.js';
import {safeError} from '../../../text/out.js';
import {SafeText} from '../../components/safe-text.js';

const verdictColor: Record<Verdict, string> = {healthy: 'green', degraded: 'yellow', unhealthy: 'red'};
const names: Record<ReconnectTarget, string> = {postgres: 'PostgreSQL', redis: 'Redis'};

function Header({report, width}: {readonly report: HealthReport | undefined; readonly width: number}) {
	if (!report) return <Text dimColor wrap="truncate">checking…</Text>;
	const first = report.reasons[0];
	const clock = ` ${formatClock(new Date(report.checkedAt))}`;
	const room = Math.max(0, width - report.verdict.length - clock.length - 3);
	return (
		<Box width={width} justifyContent="space-between">
			<Text wrap="truncate">
				<Text bold inverse color={verdictColor[report.verdict]}>{` ${report.verdict.toUpperCase()} `}</Text>
				<SafeText color={verdictColor[report.verdict]}>{safe` ${fit(sanitize(first ? first.message : 'every check passes'), room)}`}</SafeText>
			</Text>
			{width >= 50 ? <Text dimColor>{clock}</Text> : null}
		</Box>
	);
}

function Wide({cards, width}: {readonly cards: readonly Card[]; readonly width: number}) {
	const column = Math.floor((width - 2) / 2);
	const pick = (...ids: Card['id'][]) => cards.filter(c => ids.includes(c.id));
	const stack = (list: Card[]) => list.map((card, i) => (
		<Box key={card.id} marginTop={i === 0 ? 0 : 1}>
			<StatusCard title={card.title} state={card.state} stateLabel={card.stateLabel} note={card.note} noteColor={card.noteColor} rows={card.rows} width={column} />
		</Box>
	));
	return (
		<Box width={width}>
			<Box flexDirection="column" width={column} marginRight={2}>{stack(pick('postgres', 'sqlite', 'drill'))}</Box>
			<Box flexDirection="column" width={column}>{stack(pick('redis', 'app', 'appProcess', 'process'))}</Box>
		</Box>
	);
}

/** The compact layout's lines: the reasons after the first, a line per store, the console process. */
function compactRows(report: HealthReport, width: number): Array<{readonly key: string; readonly node: ReactNode}> {
	const lines = componentLines(report);
	const proc = report.process;
	// a column as wide as the longest name ("app process") and the longest state ("connecting"), a
	// space after each: a name never runs into its state nor a state into its text (a name cut with
	// an ellipsis before that, in a pane too narrow for it)
	const nameWidth = Math.min(Math.max(7, ...lines.map(line => line.name.length)), Math.max(4, Math.floor(width / 3)));
	const stateWord = (line: ComponentLine) => line.label ?? (line.state === 'down' ? 'DOWN' : line.state);
	const stateWidth = Math.max(4, ...lines.map(line => stateWord(line).length));
	return [
		...report.reasons.slice(1).map((reason, i) => ({key: `reason ${i}`, node: <SafeText color={verdictColor[reason.level]} wrap="truncate">{fit(safe`  ${sanitize(reason.message)}`, width)}</SafeText>})),
		...lines.map(line => ({key: line.name, node: (
			<Text wrap="truncate">
				{`${fit(line.name, nameWidth, true)} `}
				<Text color={stateColor[line.state]}>{`${stateWord(line).padEnd(stateWidth)} `}</Text>
				<SafeText>{fit(sanitize(line.text), Math.max(1, width - nameWidth - stateWidth - 2))}</SafeText>
			</Text>
		)})),
		{key: 'console', node: <Text dimColor wrap="truncate">{fit(`${fit('console', nameWidth, true)} rss ${Math.round(proc.rssBytes / 1048576)} MB, poll ${proc.pollIntervalMs} ms`, width)}</Text>},
	];
}

/** Rows from `top` in a pane `height` rows high; when they do not all fit, the last row says where you are. */
function Scrolled({rows, top, width, height}: {readonly rows: ReadonlyArray<{readonly key: string; readonly node: ReactNode}>; readonly top: number; readonly width: number; readonly height: number}) {
	const room = rows.length > height ? scrollRoom(height) : height;
	const start = Math.min(top, Math.max(0, rows.length - room));
	const shown = rows.slice(start, start + room);
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			{shown.map(row => <Box key={row.key} width={width}>{row.node}</Box>)}
			{rows.length > height ? <Text dimColor wrap="truncate">{fit(`lines ${start + 1}-${start + shown.length} of ${rows.length}${moreMark(start > 0, start + shown.length < rows.length)} (j k)`, width)}</Text> : null}
		</Box>
	);
}

function StatusTab({isActive, isVisible, width, height}: TabProps) {
	const backends = useBackends();
	const {config} = backends;
	const {flash} = useFrame();
	const keyspace = useKeyspace();
	const health = useHealth(isVisible);
	const [dialog, setDialog] = useState<FlushTarget | undefined>();
	const [overview, setOverview] = useState(false);
	const profiles = useProfilesOverview(overview && isVisible);
	const mounted = useRef(true);
	useEffect(() => () => {
		mounted.current = false;
	}, []);

	const {refresh} = health;
	const reconnect = useCallback((which: ReconnectTarget) => {
		flash(sanitize(`${names[which]}: reconnecting…`), 'info');
		void reconnectBackend(backends, which).then(result => {
			if (!mounted.current) return;
			const fallback = which === 'postgres' ? config.pollIntervalMs : undefined;
			// still down is what the card says too, until it is not: a warning that fades, not an
			// error that would stay under a header saying the store is back
			flash(sanitize(`${names[which]}: ${reconnectMessage(result, fallback)}`), result.ok ? 'success' : 'warning');
			void refresh();
		});
	}, [backends, config.pollIntervalMs, refresh, flash]);

	const startFlush = useCallback(async () => {
		try {
			if (config.readOnly) {
				// refused (and audited) by the mutation guard before anything is asked
				await flushRedis(config, backends, {all: false, description: `FLUSHDB on ${backends.redis.maskedUrl}`});
				return;
			}
			const target = await flushTarget(backends);
			if (mounted.current) setDialog(target);
		} catch (error) {
			flash(config.readOnly ? safeError(error) : safe`cannot flush: ${safeError(error)}`, 'error');
		}
	}, [backends, config, flash]);

	const confirmFlush = useCallback((target: FlushTarget) => {
		setDialog(undefined);
		flash('Redis: flushing…', 'info');
		flushRedis(config, backends, target).then(
			({ms}) => {
				flash(sanitize(`Redis: flushed ${formatCount(target.keys)} keys from ${target.url} (db ${target.db}) in ${ms} ms`), 'success');
				void refresh();
				// the Keys list read before the flush lists keys that are gone: it reads them again
				keyspace.changed();
			},
			error => {
				flash(sanitize(`Redis: flush failed: ${errorMessage(error)}`), 'error');
				// a flush that failed part-way (one master of a cluster) may have removed keys too
				keyspace.changed();
			},
		);
	}, [backends, config, flash, refresh, keyspace]);

	const keymap: KeyEntry[] = statusKeymap({
		reconnect,
		flush: () => void startFlush(),
		refresh: () => {
			flash('refreshing…', 'info');
			void refresh().then(() => mounted.current && flash('refreshed', 'info'));
			if (overview) void profiles.refresh();
		},
		overview: {on: overview, any: config.profileNames.length > 0, toggle: () => setOverview(on => !on)},
	});

	const report = health.data;
	const cards = report ? cardsFor(report, config.thresholds) : [];
	// two columns only when every card fits (under the verdict and two more reasons); otherwise one
	// line per store, scrolled when they do not all fit (a 40x10 pane)
	const columnHeight = (ids: Card['id'][]) => cards.filter(c => ids.includes(c.id)).reduce((n, c, i) => n + (i > 0 ? 1 : 0) + 1 + c.rows.length, 0);
	const needed = 1 + Math.max(columnHeight(['postgres', 'sqlite', 'drill']), columnHeight(['redis', 'app', 'appProcess', 'process']));
	const wideReasons = report?.reasons.slice(1, 3) ?? [];
	const wide = !overview && width >= 70 && height - 1 - wideReasons.length >= needed;
	const rows = report && !overview && !wide ? compactRows(report, width) : overview ? overviewRows(profiles.data, config.profileNames.length, width) : [];
	const bodyHeight = Math.max(1, height - 1);
	// the overview's rows sit under its title (and above an error)
	const scrollHeight = overview ? Math.max(1, bodyHeight - 1 - (profiles.error ? 1 : 0)) : bodyHeight;
	const scroll = useScroll(rows.length, scrollHeight, overview ? 'overview' : 'cards');
	if (rows.length > scrollHeight) keymap.push(...scroll.keys);

	if (!isVisible) return null;
	if (dialog) {
		return (
			<TabScreen keymap={keymap} width={width} height={height}>
				<ConfirmDialog
					// a small pane (40x10) keeps the title, the target and the word in view
					title={height < 12 ? `FLUSHDB db ${dialog.db}: ${formatCount(dialog.keys)} keys` : 'Flush the Redis cache?'}
					lines={height < 12
						? [dialog.url]
						: [`${dialog.description}.`, `FLUSHDB ASYNC empties db ${dialog.db} only; other dbs are kept. The app refills its cache from PostgreSQL.`]}
					request={{action: 'flush', target: dialog.description}}
					width={width}
					height={height}
					isActive={isActive}
					onConfirm={() => confirmFlush(dialog)}
					what="flush"
					onCancel={() => setDialog(undefined)}
				/>
			</TabScreen>
		);
	}

	return (
		<TabScreen keymap={keymap} width={width} height={height}>
			<Header report={report} width={width} />
			{wide ? wideReasons.map((reason, i) => (
				<SafeText key={i} color={verdictColor[reason.level]} wrap="truncate">{fit(safe`  ${sanitize(reason.message)}`, width)}</SafeText>
			)) : null}
			{wide
				? <Box marginTop={1}><Wide cards={cards} width={width} /></Box>
				: overview && (config.profileNames.length === 0 || !profiles.data)
				? <ProfilesOverview rows={profiles.data} checkedAt={profiles.updatedAt} error={profiles.error} count={config.profileNames.length} width={width} height={bodyHeight} />
				: overview
				? <>
					<Text bold wrap="truncate">{fit(`All environments (${config.profileNames.length})${profiles.updatedAt ? `  ${formatClock(new Date(profiles.updatedAt))}` : ''}`, width)}</Text>
					<Scrolled rows={rows} top={scroll.top} width={width} height={scrollHeight} />
					{profiles.error ? <SafeText color="red" wrap="truncate">{fit(sanitize(profiles.error), width)}</SafeText> : null}
				</>
				: report
				? <Scrolled rows={rows} top={scroll.top} width={width} height={bodyHeight} />
				: null}
		</TabScreen>
	);
}

export const statusTab: TabDefinition = {id: 'status', title: 'Status', Component: StatusTab};
