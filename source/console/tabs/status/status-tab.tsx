// Status: a card per store plus the console process, the overall verdict with its reasons, and
// the actions P (reconnect PostgreSQL), R (reconnect Redis), F (flush the cache, confirmed).
// The health poll runs in useHealth() whether or not this tab is shown; it only draws when shown.
// The verdict, its reasons and the cards all come from that one report; what an action did is said
// in the bottom bar (with its time, and gone when stale: frame/use-flash.ts), never in a line of
// its own that could outlive what it says.
import {Box, Text} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import {flushRedis, flushTarget, type FlushTarget} from '../../../cache/flush.js';
import {reconnectBackend, reconnectMessage, type ReconnectTarget} from '../../../health/reconnect.js';
import {componentLines, type ComponentLine} from '../../../text/health-text.js';
import type {HealthReport, Verdict} from '../../../health/health.js';
import {formatClock, formatCount, fit} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {safe, sanitize} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {StatusCard, stateColor} from './status-card.js';
import {cardsFor, type Card} from './status-cards.js';
import {useBackends, useFrame, useKeyspace} from '../../context.js';
import {TabScreen} from '../../components/tab-screen.js';
import {statusKeymap} from './keymap.js';
import {useHealth} from './use-health.js';
import {ProfilesOverview, useProfilesOverview} from './profiles-overview.js';
import type {TabDefinition, TabProps} from '../types.js';
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

function Compact({report, width, height}: {readonly report: HealthReport; readonly width: number; readonly height: number}) {
	const lines = componentLines(report);
	const proc = report.process;
	// a column as wide as the longest name ("app process") and the longest state ("connecting"), a
	// space after each: a name never runs into its state nor a state into its text (a name cut with
	// an ellipsis before that, in a pane too narrow for it)
	const nameWidth = Math.min(Math.max(7, ...lines.map(line => line.name.length)), Math.max(4, Math.floor(width / 3)));
	const stateWord = (state: ComponentLine['state']) => (state === 'down' ? 'DOWN' : state);
	const stateWidth = Math.max(4, ...lines.map(line => stateWord(line.state).length));
	return (
		<Box flexDirection="column" width={width}>
			{lines.slice(0, height).map(line => (
				<Text key={line.name} wrap="truncate">
					{`${fit(line.name, nameWidth, true)} `}
					<Text color={stateColor[line.state]}>{`${stateWord(line.state).padEnd(stateWidth)} `}</Text>
					<SafeText>{sanitize(line.text)}</SafeText>
				</Text>
			))}
			{height > lines.length ? <Text dimColor wrap="truncate">{`${fit('console', nameWidth, true)} rss ${Math.round(proc.rssBytes / 1048576)} MB, poll ${proc.pollIntervalMs} ms`}</Text> : null}
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

	const keymap = statusKeymap({
		reconnect,
		flush: () => void startFlush(),
		refresh: () => {
			flash('refreshing…', 'info');
			void refresh().then(() => mounted.current && flash('refreshed', 'info'));
			if (overview) void profiles.refresh();
		},
		overview: {on: overview, any: config.profileNames.length > 0, toggle: () => setOverview(on => !on)},
	});

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

	const report = health.data;
	const reasons = report?.reasons.slice(1, 3) ?? [];
	const headerLines = 1 + reasons.length;
	const cards = report ? cardsFor(report, config.thresholds) : [];
	// two columns only when every card fits; otherwise one line per store
	const columnHeight = (ids: Card['id'][]) => cards.filter(c => ids.includes(c.id)).reduce((n, c, i) => n + (i > 0 ? 1 : 0) + 1 + c.rows.length, 0);
	const needed = 1 + Math.max(columnHeight(['postgres', 'sqlite', 'drill']), columnHeight(['redis', 'app', 'appProcess', 'process']));
	const wide = width >= 70 && height - headerLines >= needed;
	return (
		<TabScreen keymap={keymap} width={width} height={height}>
			<Header report={report} width={width} />
			{reasons.map((reason, i) => (
				<SafeText key={i} color={verdictColor[reason.level]} wrap="truncate">{safe`  ${sanitize(reason.message)}`}</SafeText>
			))}
			{overview
				? <Box marginTop={height - headerLines > 6 ? 1 : 0}><ProfilesOverview rows={profiles.data} checkedAt={profiles.updatedAt} error={profiles.error} count={config.profileNames.length} width={width} height={Math.max(1, height - headerLines - (height - headerLines > 6 ? 1 : 0))} /></Box>
				: report
				? wide
					? <Box marginTop={1}><Wide cards={cards} width={width} /></Box>
					: <Compact report={report} width={width} height={Math.max(0, height - headerLines)} />
				: null}
		</TabScreen>
	);
}

export const statusTab: TabDefinition = {id: 'status', title: 'Status', Component: StatusTab};
