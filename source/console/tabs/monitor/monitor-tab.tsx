// Monitor: live counters for watched keys and patterns (default: every chat's messages key). One
// row a key: count, +N/-N since the last tick, rate, TTL, sparkline; a totals row. `a` adds a
// watch, `x` removes the selected row's watch (both saved to opsdeck's state file, never the config file), space pauses,
// +/- change the interval. Columns are dropped, never wrapped, on a narrow pane.
import {Text} from 'ink';
import {useCallback, useEffect, useState} from 'react';
import {defaultWatches} from '../../../monitor/counters.js';
import {saveWatches} from '../../../monitor/watch-store.js';
import {fit} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {safe, sanitize} from '../../../text/sanitize.js';
import {layoutColumns, Table, type Column} from '../../components/table.js';
import {TabScreen} from '../../components/tab-screen.js';
import {TextField} from '../../components/text-field.js';
import {useBackends, useFrame} from '../../context.js';
import {useCounters, type CounterRow, type CountersView} from './use-counters.js';
import {monitorKeymap} from './keymap.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import type {TabDefinition, TabProps} from '../types.js';
import {SafeText} from '../../components/safe-text.js';

/** The intervals +/- step through (bounds 250 ms .. 60 s). */
export const intervalSteps = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000] as const;

export function stepInterval(current: number, direction: 1 | -1): number {
	if (direction > 0) return intervalSteps.find(step => step > current) ?? intervalSteps.at(-1)!;
	return [...intervalSteps].reverse().find(step => step < current) ?? intervalSteps[0];
}

const deltaColor = (delta: number) => (delta > 0 ? 'green' : delta < 0 ? 'red' : undefined);

const allColumns: readonly Column<CounterRow>[] = [
	{key: 'key', title: 'key', value: r => sanitize(r.key), minWidth: 12, cut: 'middle'},
	{key: 'count', title: 'count', value: r => sanitize(r.count), width: 9, align: 'right', color: r => (r.gone ? 'red' : undefined)},
	{key: 'delta', title: '+/-', value: r => sanitize(r.deltaText), width: 6, align: 'right', color: r => deltaColor(r.delta)},
	{key: 'rate', title: 'rate', value: r => sanitize(r.rate), width: 7, align: 'right'},
	{key: 'ttl', title: 'TTL', value: r => sanitize(r.ttl), width: 7, align: 'right', color: r => (r.gone ? 'red' : undefined)},
	{key: 'spark', title: 'history', value: r => sanitize(r.spark), width: 12, color: () => 'cyan'},
];

/** The columns that fit: sparkline goes first, then rate, then TTL (key, count, +/- always stay). */
export function columnsFor(width: number): Column<CounterRow>[] {
	const dropOrder = ['spark', 'rate', 'ttl'];
	// a narrow pane gives the key the room: counts over 9,999,999 are cut there, never the row
	let kept = width < 60 ? allColumns.map(c => (c.key === 'count' ? {...c, width: 7} : c)) : [...allColumns];
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

function MonitorTab({isActive, isVisible, width, height}: TabProps) {
	const {config, redis} = useBackends();
	const {flash} = useFrame();
	const [watches, setWatches] = useState<readonly string[]>(() => defaultWatches(config));
	const [intervalMs, setIntervalMs] = useState(config.pollIntervalMs);
	const [paused, setPaused] = useState(false);
	const [adding, setAdding] = useState(false);
	const tableHeight = Math.max(2, height - 2);
	const {view, refresh, show} = useCounters({redis, watches, scanCount: config.scanCount, intervalMs, paused, isVisible});
	const list = useListCursor(view.rows.length, tableHeight - 1, 'select a row');
	const cursor = list.cursor;
	// the rows on screen: a tick redraws only when what they show (or the totals) changed; scrolled
	// or resized, the rows that came into view are drawn from the latest tick at once
	useEffect(() => show({cursor, visible: tableHeight - 1}), [cursor, tableHeight, show]);

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
			refresh,
			remove: () => {
				const row = view.rows[cursor];
				if (!row) return flash('no watch selected', 'warning');
				if (watches.length <= 1) return flash('the last watch cannot be removed: add another first', 'warning');
				save(watches.filter(w => w !== row.watch), `removed watch ${sanitize(row.watch)}`);
			},
		}),
		...list.keys,
	];

	const columns = columnsFor(width);
	const status = [
		watches.map(w => sanitize(w)).join(' '),
		`${view.rows.filter(r => !r.gone).length} keys`,
		`every ${intervalMs < 1000 ? `${intervalMs}ms` : `${intervalMs / 1000}s`}`,
		...(view.truncated ? ['(capped)'] : []),
	].join(' · ');
	return (
		<TabScreen keymap={keymap} width={width} height={height}>
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
			) : (
				<Text wrap="truncate">
					{paused ? <Text color="yellow" bold>{'PAUSED '}</Text> : null}
					{view.error ? <SafeText color="red">{fit(sanitize(`redis: ${view.error}`), width)}</SafeText> : <SafeText dimColor>{fit(sanitize(status), width)}</SafeText>}
				</Text>
			)}
			<Table
				columns={columns}
				rows={view.rows}
				cursor={cursor}
				height={tableHeight}
				width={width}
				rowKey={row => row.key}
				showCursor={isActive}
				empty={view.loading ? 'counting…' : 'no key matches the watch list yet'}
			/>
			<TotalsLine view={view} columns={columns} width={width} />
		</TabScreen>
	);
}

export const monitorTab: TabDefinition = {id: 'monitor', title: 'Monitor', Component: MonitorTab};
