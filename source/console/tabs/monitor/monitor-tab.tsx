// Monitor: live counters for watched keys and patterns (default: every chat's messages key). One
// row a key: count, +N/-N since the last tick, rate, TTL, sparkline; a totals row. `a` adds a
// watch, `x` removes the selected row's watch (both saved to opsdeck's state file, never the config file;
// a pattern only after a y/n question), space pauses, +/- change the interval. A key that appeared
// is marked `new` for a while; `rows 21–40 of 1,000` when they do not all fit. Columns are dropped,
// never wrapped, on a narrow pane.
import {Text} from 'ink';
import {useCallback, useState} from 'react';
import {defaultWatches, isPattern, newKeyMark} from '../../../monitor/counters.js';
import {saveWatches} from '../../../monitor/watch-store.js';
import {fit} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {safe, sanitize} from '../../../text/sanitize.js';
import {layoutColumns, Table, type Column} from '../../components/table.js';
import {TabScreen} from '../../components/tab-screen.js';
import {TextField} from '../../components/text-field.js';
import {useBackends, useFrame} from '../../context.js';
import {useCounters, type CounterRow, type CountersView} from './use-counters.js';
import {rowRange} from './counter-view.js';
import {monitorKeymap} from './keymap.js';
import {RemoveWatchQuestion, type RemoveQuestion} from './remove-watch.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import type {TabDefinition, TabProps} from '../types.js';
import {SafeText} from '../../components/safe-text.js';
import {tableRows} from '../../share/current.js';

/** The intervals +/- step through (bounds 250 ms .. 60 s). */
export const intervalSteps = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000] as const;

export function stepInterval(current: number, direction: 1 | -1): number {
	if (direction > 0) return intervalSteps.find(step => step > current) ?? intervalSteps.at(-1)!;
	return [...intervalSteps].reverse().find(step => step < current) ?? intervalSteps[0];
}

const deltaColor = (delta: number) => (delta > 0 ? 'green' : delta < 0 ? 'red' : undefined);

const allColumns: readonly Column<CounterRow>[] = [
	// cut in the middle like the Keys tab (fitMiddle); a whole chat:CODE:messages comes before TTL
	{key: 'key', title: 'key', value: r => sanitize(r.key), minWidth: 22, cut: 'middle'},
	// never dropped: a narrow pane marks new keys too (with a *: the key keeps the room)
	{key: 'new', title: '', value: r => sanitize(r.isNew ? newKeyMark : ''), width: 3, color: () => 'green'},
	{key: 'count', title: 'count', value: r => sanitize(r.count), width: 9, align: 'right', color: r => (r.gone ? 'red' : undefined)},
	{key: 'delta', title: '+/-', value: r => sanitize(r.deltaText), width: 6, align: 'right', color: r => deltaColor(r.delta)},
	{key: 'rate', title: 'rate', value: r => sanitize(r.rate), width: 7, align: 'right'},
	{key: 'ttl', title: 'TTL', value: r => sanitize(r.ttl), width: 7, align: 'right', color: r => (r.gone ? 'red' : undefined)},
	{key: 'spark', title: 'history', value: r => sanitize(r.spark), width: 12, color: () => 'cyan'},
];

const narrowNew: Column<CounterRow> = {key: 'new', title: '', value: r => sanitize(r.isNew ? '*' : ''), width: 1, color: () => 'green'};

/** The columns that fit: sparkline goes first, then rate, then TTL (key, count, +/- always stay; the key keeps its 22 cells while any of those is left). */
export function columnsFor(width: number): Column<CounterRow>[] {
	const dropOrder = ['spark', 'rate', 'ttl'];
	// a narrow pane gives the key the room: counts over 9,999,999 are cut there, never the row
	let kept = width < 60 ? allColumns.map(c => (c.key === 'count' ? {...c, width: 7} : c.key === 'new' ? narrowNew : c)) : [...allColumns];
	const need = (cols: readonly Column<CounterRow>[]) => cols.reduce((sum, c) => sum + (c.width ?? c.minWidth ?? 0), 0) + cols.length - 1;
	for (const key of dropOrder) {
		if (need(kept) <= width) break;
		kept = kept.filter(c => c.key !== key);
	}
	return kept;
}

function TotalsLine({view, columns, width}: {readonly view: CountersView; readonly columns: readonly Column<CounterRow>[]; readonly width: number}) {
	const totals = view.totals;
	if (!totals) return <Text> </Text>;
	const values: Record<string, string> = {key: `total (${totals.keys} keys)`, count: totals.count, delta: totals.deltaText, rate: totals.rate, ttl: '', spark: totals.spark};
	const layout = layoutColumns(columns, width);
	return (
		<Text bold wrap="truncate">
			{layout.map(({column, width: w}, i) => {
				const text = fit(values[column.key] ?? '', w);
				const padded = column.align === 'right' ? text.padStart(w) : text.padEnd(w);
				return (
					<Text key={column.key} color={column.key === 'delta' ? deltaColor(totals.delta) : undefined}>
						{(i > 0 ? ' ' : '') + padded}
					</Text>
				);
			})}
		</Text>
	);
}

const rowKey = (row: CounterRow) => row.key;

function MonitorTab({isActive, isVisible, width, height}: TabProps) {
	const {config, redis} = useBackends();
	const {flash} = useFrame();
	const [watches, setWatches] = useState<readonly string[]>(() => defaultWatches(config));
	const [intervalMs, setIntervalMs] = useState(config.pollIntervalMs);
	const [paused, setPaused] = useState(false);
	const [adding, setAdding] = useState(false);
	const [removing, setRemoving] = useState<RemoveQuestion | undefined>();
	const tableHeight = Math.max(2, height - 2);
	const {view, refresh, show} = useCounters({redis, watches, scanCount: config.scanCount, intervalMs, paused, isVisible});
	// by key: a key that starts to match above the highlighted row does not move the highlight
	const list = useListCursor(view.rows, rowKey, {pageSize: tableHeight - 1, what: 'select a row'});
	const cursor = list.cursor;
	// the rows on screen: a tick redraws only when what they show (or the totals) changed; scrolled
	// or resized, the rows that came into view are drawn from the latest tick in this very render
	// (not from an effect: an update after every cursor move, under a burst of keys one commit
	// apart, kept React's nested-update count from ever resetting and crashed it at 50)
	show({cursor, visible: tableHeight - 1});

	const save = useCallback(
		(next: readonly string[], message: string) => {
			setWatches(next);
			try {
				saveWatches(config.watchesFile, config.configFile, next);
				flash(sanitize(message), 'success');
			} catch (error) {
				flash(sanitize(`${message}, not saved: ${errorMessage(error)}`), 'warning');
			}
		},
		[config, flash],
	);

	const keymap = [
		...monitorKeymap({
			paused,
			add: () => setAdding(true),
			togglePause: () => setPaused(p => !p),
			step: direction => setIntervalMs(ms => stepInterval(ms, direction)),
			refresh: () => {
				// paused, nothing is counted: say so rather than do nothing
				if (paused) return flash('paused: space resumes counting', 'info');
				refresh();
				flash('counting now', 'info');
			},
			remove: () => {
				const row = list.selected;
				if (!row) return flash('no watch selected', 'warning');
				if (watches.length <= 1) return flash('the last watch cannot be removed: add another first', 'warning');
				// one key of a pattern cannot go alone: ask before the pattern (and all its keys) goes
				if (isPattern(row.watch)) return setRemoving({watch: row.watch, keys: view.rows.filter(r => r.watch === row.watch).length});
				save(watches.filter(w => w !== row.watch), `removed watch ${sanitize(row.watch)}`);
			},
		}),
		...list.keys,
	];

	const columns = columnsFor(width);
	const range = rowRange({cursor, visible: tableHeight - 1}, view.rows.length);
	const status = [
		watches.map(w => sanitize(w)).join(' '),
		`${view.rows.filter(r => !r.gone).length} keys`,
		`every ${intervalMs < 1000 ? `${intervalMs}ms` : `${intervalMs / 1000}s`}`,
		...(view.truncated ? ['(capped)'] : []),
	].join(' · ');
	// the range stays in view on a narrow pane: the watch list is what gets cut
	const statusRoom = width - (paused ? 7 : 0) - (range ? range.length + 3 : 0);
	// `y` the highlighted key; `E` every row (the sparkline left out), its watch beside it
	const current = {
		item: list.selected && {text: list.selected.key, what: 'key'},
		rows: {name: 'monitor', table: () => tableRows('monitor', allColumns.filter(c => c.key !== 'spark').map(c => (c.key === 'new' ? {...c, title: 'NEW'} : c)), view.rows, [{title: 'WATCH', value: r => r.watch}])},
	};
	return (
		<TabScreen keymap={keymap} width={width} height={height} current={current}>
			{adding ? (
				<TextField
					label="watch key or pattern:"
					submitLabel="watch"
					isActive={isActive}
					width={width}
					onCancel={() => setAdding(false)}
					onSubmit={value => {
						setAdding(false);
						const watch = value.trim();
						if (!watch) return;
						if (watches.includes(watch)) return flash(safe`already watching ${sanitize(watch)}`, 'info');
						save([...watches, watch], `watching ${sanitize(watch)}`);
					}}
				/>
			) : removing ? (
				<RemoveWatchQuestion
					{...removing}
					isActive={isActive}
					onKeep={() => setRemoving(undefined)}
					onRemove={() => {
						setRemoving(undefined);
						if (!watches.includes(removing.watch)) return;
						save(watches.filter(w => w !== removing.watch), `removed watch ${sanitize(removing.watch)}`);
					}}
				/>
			) : (
				<Text wrap="truncate">
					{paused ? <Text color="yellow" bold>{'PAUSED '}</Text> : null}
					{view.error ? <SafeText color="red">{fit(sanitize(`redis: ${view.error}`), width)}</SafeText> : <SafeText dimColor>{fit(sanitize(status), Math.max(1, statusRoom))}</SafeText>}
					{range && !view.error ? <Text dimColor>{` · ${range}`}</Text> : null}
				</Text>
			)}
			<Table
				columns={columns}
				rows={view.rows}
				cursor={cursor}
				height={tableHeight}
				width={width}
				rowKey={rowKey}
				showCursor={isActive}
				empty={view.loading ? 'counting…' : 'no key matches the watch list yet'}
			/>
			<TotalsLine view={view} columns={columns} width={width} />
		</TabScreen>
	);
}

export const monitorTab: TabDefinition = {id: 'monitor', title: 'Monitor', Component: MonitorTab};
