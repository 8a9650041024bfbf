// Postgres: what the database is doing right now, and who is blocking whom — the sessions of
// pg_stat_activity (idle ones hidden unless `A`), views running `a` / waiting `w` / blocking `b` (the
// tree, read only while that view is open) / all `A`, a text filter `/`, a minimum time `m`, a sort
// `s`; Enter opens the whole query; `c` cancels it, `k` terminates the session (typed pid, refused
// read-only, audited); `t` the tables, `Q` the top queries. The same functions as `opsdeck pg`.
import {useMemo, useState} from 'react';
import {readTopQueries} from '../../../postgres/queries.js';
import type {Session} from '../../../postgres/sessions.js';
import {readTables} from '../../../postgres/tables.js';
import {parseDuration, selectSessions, sortKeys, type SortKey, type View} from '../../../postgres/views.js';
import {formatCount, formatDuration} from '../../../text/format.js';
import {sanitize, sanitizeExact, type Safe} from '../../../text/sanitize.js';
import {TabScreen} from '../../components/tab-screen.js';
import {useBackends, useFrame} from '../../context.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import type {TabDefinition, TabProps} from '../types.js';
import {screenKeymap, sessionsKeymap, withoutK} from './keymap.js';
import {QueriesView, queriesMaxAgeMs} from './queries-view.js';
import {QueryView} from './query-view.js';
import {listRows, treeRows, viewLine} from './session-rows.js';
import {SessionsScreen, sessionsLayout, type Prompt} from './sessions-screen.js';
import {TablesView, tablesMaxAgeMs} from './tables-view.js';
import {useCachedRead} from './use-cached-read.js';
import {usePgActivity} from './use-pg-activity.js';
import {useSignal} from './use-signal.js';

type Screen = 'sessions' | 'tables' | 'queries';
type Opened = {readonly title: Safe; readonly query: string};

function sessionTitle(s: Session): Safe {
	return sanitizeExact(`pid ${s.pid} · ${s.user ?? '?'}@${s.database ?? '?'}${s.application ? ` · ${s.application}` : ''} · ${s.state ?? '?'} · the query as read when opened`);
}

function PostgresTab({isActive, isVisible, width, height}: TabProps) {
	const backends = useBackends();
	const {config, postgres} = backends;
	const frame = useFrame();
	const [screen, setScreen] = useState<Screen>('sessions');
	const [opened, setOpened] = useState<Opened | undefined>();
	const [view, setView] = useState<View>('running');
	const [sort, setSort] = useState<SortKey>('duration');
	const [text, setText] = useState('');
	const [minDurationMs, setMinDurationMs] = useState(0);
	const [prompt, setPrompt] = useState<'filter' | 'min' | undefined>();

	const on = (which: Screen) => isVisible && screen === which && !opened;
	const {activity, tree, refresh} = usePgActivity(postgres, {intervalMs: config.pollIntervalMs, enabled: on('sessions'), blocking: view === 'blocking'});
	const tables = useCachedRead(() => readTables(postgres), {open: on('tables'), maxAgeMs: tablesMaxAgeMs, source: postgres});
	const queries = useCachedRead(() => readTopQueries(postgres), {open: on('queries'), maxAgeMs: queriesMaxAgeMs, source: postgres});
	const signal = useSignal(backends, refresh);

	const data = activity.data;
	const rows = useMemo(() => (view === 'blocking'
		? treeRows(tree.data?.tree ?? [], {text, minDurationMs})
		: listRows(selectSessions(data?.sessions ?? [], {view, minDurationMs, text, sort}))), [view, tree.data, data, text, minDurationMs, sort]);
	const layout = sessionsLayout(height, {hidden: data?.hidden ?? 0, prompt: prompt !== undefined});
	const list = useListCursor(rows, row => String(row.pid), {pageSize: layout.table - 1});
	const selected = list.selected?.session;
	const topQueries = queries.data?.available ? queries.data.queries : [];
	const queryList = useListCursor(topQueries, q => `${q.queryId ?? q.query ?? ''}|${q.database ?? ''}|${q.user ?? ''}`, {pageSize: height - 2});

	const toTop = (next: () => void) => {
		next();
		list.toTop();
	};
	const filtered = text !== '' || minDurationMs > 0;
	const keymap = [
		...sessionsKeymap({
			onSession: selected !== undefined,
			canOpen: selected !== undefined && !selected.hidden && selected.query !== null,
			filtered,
			open: () => selected?.query && setOpened({title: sessionTitle(selected), query: selected.query}),
			cancel: () => selected && signal.ask('cancel', selected),
			terminate: () => selected && signal.ask('terminate', selected),
			view: next => toTop(() => setView(next)),
			filter: () => setPrompt('filter'),
			minDuration: () => setPrompt('min'),
			clearFilter: () => toTop(() => {
				setText('');
				setMinDurationMs(0);
			}),
			sort: () => toTop(() => setSort(sortKeys[(sortKeys.indexOf(sort) + 1) % sortKeys.length]!)),
			tables: () => setScreen('tables'),
			queries: () => setScreen('queries'),
			refresh,
		}),
		...withoutK(list.keys),
	];

	const promptProps: Prompt | undefined = prompt === 'filter'
		? {label: 'filter:', initial: text, submitLabel: 'filter', cancel: () => setPrompt(undefined), submit: value => toTop(() => {
			setPrompt(undefined);
			setText(value.trim());
		})}
		: prompt === 'min'
			? {label: 'min time (5s, 2m):', initial: minDurationMs > 0 ? formatDuration(minDurationMs) : '', submitLabel: 'set', cancel: () => setPrompt(undefined), submit: value => {
				setPrompt(undefined);
				const ms = value.trim() === '' ? 0 : parseDuration(value);
				if (ms === undefined) return frame.flash(sanitize(`not a duration: "${value.trim().slice(0, 20)}" (write 500ms, 5s, 2m or 1h)`), 'warning');
				toTop(() => setMinDurationMs(ms));
			}}
			: undefined;

	if (!isVisible) return null;
	if (signal.dialog) return <TabScreen keymap={[]} width={width} height={height}>{signal.render(width, height, isActive)}</TabScreen>;
	const back = () => setOpened(undefined);
	if (opened) {
		const {lead, trail} = screenKeymap({back});
		return <QueryView title={opened.title} query={opened.query} width={width} height={height} lead={lead} trail={trail} />;
	}
	if (screen === 'tables') {
		const {lead, trail} = screenKeymap({back: () => setScreen('sessions'), refresh: tables.refresh, refreshHelp: 'read the tables again (sizes are costly on a big database)'});
		return <TablesView result={tables.data} error={tables.error} width={width} height={height} isActive={isActive} lead={lead} trail={trail} />;
	}
	if (screen === 'queries') {
		const top = queryList.selected;
		const {lead, trail} = screenKeymap({
			back: () => setScreen('sessions'),
			refresh: queries.refresh,
			canOpen: top?.query != null,
			open: () => top?.query && setOpened({title: sanitize(`${formatCount(top.calls)} calls · total ${formatDuration(top.totalMs)} · mean ${formatDuration(top.meanMs)} · ${top.user ?? '?'}@${top.database ?? '?'}`), query: top.query}),
		});
		return <QueriesView result={queries.data} error={queries.error} list={queryList} width={width} height={height} isActive={isActive} lead={lead} trail={trail} />;
	}
	const failed = activity.error ?? (view === 'blocking' ? tree.error : undefined);
	const error = failed !== undefined;
	const line = error
		? sanitize(`PostgreSQL: ${failed}${data ? ' (the list is from before)' : ''}`)
		: viewLine({view, shown: rows.length, total: data?.sessions.length ?? 0, sort, minDurationMs, text});
	return (
		<SessionsScreen
			keymap={keymap}
			overview={data?.overview}
			thresholds={config.thresholds}
			hidden={data?.hidden ?? 0}
			line={line}
			error={error}
			view={view}
			filtered={filtered}
			loading={activity.loading || (view === 'blocking' && tree.loading)}
			rows={rows}
			cursor={list.cursor}
			prompt={promptProps}
			isActive={isActive}
			width={width}
			height={height}
		/>
	);
}

export const postgresTab: TabDefinition = {id: 'postgres', title: 'Postgres', Component: PostgresTab};
