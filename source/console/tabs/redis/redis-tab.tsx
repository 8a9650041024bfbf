// Redis: why the server is slow or full, one server at a time (each master of a Cluster, `[` `]`).
// The figures (INFO with rates between polls), `s` the slow log (R empties it), `L` latency, `c` the
// clients (o sorts, k kills one: its id is the word to type), `p` memory by prefix with the biggest
// keys. Kills and resets go through the mutation guard: refused read-only, audited; opsdeck's own
// connections are refused by killClient itself.
import {useCallback, useMemo, useState} from 'react';
import {readClients, sortClients, killClient, killRequest, type ClientInfo, type ClientSort} from '../../../redis-server/clients.js';
import {readLatency} from '../../../redis-server/latency.js';
import {ServerStats} from '../../../redis-server/server-stats.js';
import {readSlowlog, resetSlowlog, slowlogResetRequest} from '../../../redis-server/slowlog.js';
import {errorMessage} from '../../../text/mask.js';
import {fit} from '../../../text/format.js';
import {sanitize} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {SafeText} from '../../components/safe-text.js';
import {TabScreen} from '../../components/tab-screen.js';
import {Table} from '../../components/table.js';
import {useBackends, useFrame} from '../../context.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import {usePoll} from '../../hooks/use-poll.js';
import type {TabDefinition, TabProps} from '../types.js';
import {redisKeymap, type RedisView} from './keymap.js';
import {MemoryView, memoryTableHeight, prefixId, prefixRows} from './memory-view.js';
import {ScrollLines} from '../../components/scroll-lines.js';
import {scrollRoom, useScroll} from '../../hooks/use-scroll.js';
import {clientColumns, clientKey, clientsHead, infoLines, latencyLines, paneLines, slowlogColumns, slowlogHead, slowlogId} from './redis-views.js';
import {useMemoryScan} from './use-memory-scan.js';
import {redisCurrent} from './share-rows.js';

type Dialog = {readonly kind: 'kill'; readonly client: ClientInfo} | {readonly kind: 'reset'};

function RedisTab({isActive, isVisible, width, height}: TabProps) {
	const {redis, config} = useBackends();
	const frame = useFrame();
	const [view, setView] = useState<RedisView>('info');
	const [node, setNode] = useState(0);
	const [sort, setSort] = useState<ClientSort>('idle');
	const [dialog, setDialog] = useState<Dialog | undefined>();
	const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
	const stats = useMemo(() => new ServerStats(), []);
	const interval = config.pollIntervalMs;

	// the figures are polled while the tab is on screen, whatever the view: they name the servers
	const info = usePoll(() => stats.sample(redis), {intervalMs: interval, enabled: isVisible}, redis);
	const samples = info.data ?? [];
	const index = samples.length === 0 ? 0 : Math.min(node, samples.length - 1);
	const server = samples[index]?.server;
	const slowlog = usePoll(() => readSlowlog(redis, 128), {intervalMs: interval, enabled: isVisible && view === 'slowlog'}, redis);
	const latency = usePoll(() => readLatency(redis), {intervalMs: interval, enabled: isVisible && view === 'latency'}, redis);
	const clients = usePoll(() => readClients(redis), {intervalMs: interval, enabled: isVisible && (view === 'clients' || dialog?.kind === 'kill')}, redis);
	const memory = useMemoryScan(redis);

	// (every server's while INFO has not named them yet)
	const mine = useCallback(<T extends {readonly server: string}>(rows: readonly T[]) => (server === undefined ? [...rows] : rows.filter(r => r.server === server)), [server]);
	const entries = useMemo(() => mine(slowlog.data?.entries ?? []), [slowlog.data, mine]);
	const clientRows = useMemo(() => sortClients(mine(clients.data ?? []), sort), [clients.data, mine, sort]);
	const prefixes = useMemo(() => prefixRows(memory.report?.tree, open), [memory.report, open]);
	const tableHeight = Math.max(2, height - 1);
	const slowCursor = useListCursor(entries, slowlogId, {pageSize: tableHeight - 1});
	const clientCursor = useListCursor(clientRows, clientKey, {pageSize: tableHeight - 1});
	const prefixCursor = useListCursor(prefixes, prefixId, {pageSize: memoryTableHeight(width, height) - 1, complete: !memory.running});
	const list = view === 'slowlog' ? slowCursor : view === 'clients' ? clientCursor : view === 'memory' ? prefixCursor : undefined;

	const warn = useCallback((error: unknown) => frame.flash(sanitize(errorMessage(error)), 'warning'), [frame]);
	const refresh = () => {
		const poll = view === 'slowlog' ? slowlog : view === 'latency' ? latency : view === 'clients' ? clients : info;
		void poll.refresh();
	};
	const kill = (client: ClientInfo) => {
		killClient(config, redis, client).then(
			killed => {
				frame.flash(sanitize(killed ? `killed client ${client.id} (${client.addr})` : `client ${client.id} was already gone`), killed ? 'success' : 'info');
				void clients.refresh();
			},
			warn,
		);
	};
	// the figures and latency: lines that fit the pane (a figure goes on under its value, never at
	// column 0), scrolled when they do not all fit (a 40x10 pane: hostile defect W3)
	const problem = (view === 'slowlog' ? slowlog.error : view === 'latency' ? latency.error : view === 'clients' ? clients.error : undefined) ?? info.error;
	const head = problem ? sanitize(`Redis: ${problem}`) : undefined;
	const textHeight = Math.max(1, height - (head ? 1 : 0));
	const textLines = view === 'info' ? paneLines(infoLines(samples[index], index, samples.length), width, 'cyan') : view === 'latency' ? paneLines(latencyLines(latency.data, server), width) : undefined;
	const scroll = useScroll(textLines?.length ?? 0, textHeight, `${view} ${index}`);
	const keymap = [
		...redisKeymap({
			view,
			many: samples.length > 1,
			selected: list?.selected !== undefined,
			scanning: memory.report !== undefined || memory.running,
			show: next => {
				setView(next);
				if (next === 'memory' && !memory.report && !memory.running) memory.toggle();
			},
			node: step => setNode((index + step + samples.length) % Math.max(1, samples.length)),
			refresh,
			sortClients: () => setSort(sort === 'idle' ? 'memory' : 'idle'),
			kill: () => {
				const client = clientCursor.selected;
				if (!client) return;
				// read-only and opsdeck's own: killClient refuses (and audits the refusal) without a dialog
				if (config.readOnly || client.opsdeck) return kill(client);
				setDialog({kind: 'kill', client});
			},
			resetSlowlog: () => {
				if (config.readOnly) return void resetSlowlog(config, redis).catch(warn);
				setDialog({kind: 'reset'});
			},
			toggleScan: memory.toggle,
			rescan: () => {
				setOpen(new Set());
				prefixCursor.toTop();
				memory.restart();
			},
			expand: wanted => {
				const prefix = prefixCursor.selected?.node.prefix;
				if (prefix === undefined) return;
				const next = new Set(open);
				if (wanted ?? !open.has(prefix)) next.add(prefix);
				else next.delete(prefix);
				setOpen(next);
			},
		}),
		...(list?.keys ?? []),
		...(textLines && textLines.length > scrollRoom(textHeight) ? scroll.keys : []),
	];

	const cancel = useCallback((reason: 'escape' | 'timeout') => {
		setDialog(undefined);
		frame.flash(reason === 'timeout' ? 'cancelled after 30 s: nothing was done' : 'cancelled: nothing was done', 'info');
	}, [frame]);

	if (!isVisible) return null;
	if (dialog) {
		const request = dialog.kind === 'kill' ? killRequest(dialog.client) : slowlogResetRequest(redis);
		const lines = dialog.kind === 'kill'
			? [`Closes the connection of client ${dialog.client.id} on ${dialog.client.server}:`, `addr ${dialog.client.addr}${dialog.client.name ? `, name ${dialog.client.name}` : ''}, last command ${dialog.client.cmd}.`]
			: [`Empties the slow log of ${redis.isCluster ? 'every master of the Cluster' : redis.maskedUrl}.`];
		return (
			<TabScreen keymap={keymap} width={width} height={height}>
				<ConfirmDialog
					title={dialog.kind === 'kill' ? `Kill client ${dialog.client.id}` : 'Reset the slow log'}
					lines={lines}
					request={request}
					width={width}
					height={height}
					onCancel={cancel}
					onConfirm={() => {
						setDialog(undefined);
						if (dialog.kind === 'kill') return kill(dialog.client);
						resetSlowlog(config, redis).then(n => {
							frame.flash(sanitize(`slow log emptied (${n} entries)`), 'success');
							void slowlog.refresh();
						}, warn);
					}}
				/>
			</TabScreen>
		);
	}
	const current = redisCurrent({view, slow: {rows: entries, selected: slowCursor.selected}, clients: {rows: clientRows, selected: clientCursor.selected}, prefixes: {rows: prefixes, selected: prefixCursor.selected}});
	return (
		<TabScreen keymap={keymap} width={width} height={height} current={current}>
			{head ? <SafeText color="red" wrap="truncate">{fit(head, width)}</SafeText> : null}
			{textLines ? <ScrollLines lines={textLines} top={scroll.top} width={width} height={textHeight} /> : null}
			{view === 'slowlog' ? (
				<>
					<SafeText color="cyan" wrap="truncate">{fit(slowlogHead(slowlog.data?.servers.find(s => s.server === server)), width)}</SafeText>
					<Table columns={slowlogColumns()} rows={entries} cursor={slowCursor.cursor} height={tableHeight - (head ? 1 : 0)} width={width} rowKey={slowlogId} showCursor={isActive} empty={slowlog.loading ? 'reading…' : 'the slow log is empty'} />
				</>
			) : null}
			{view === 'clients' ? (
				<>
					<SafeText color="cyan" wrap="truncate">{fit(clientsHead(clientRows, sort, server), width)}</SafeText>
					<Table columns={clientColumns()} rows={clientRows} cursor={clientCursor.cursor} height={tableHeight - (head ? 1 : 0)} width={width} rowKey={clientKey} showCursor={isActive} empty={clients.loading ? 'reading…' : 'no clients'} />
				</>
			) : null}
			{view === 'memory' ? <MemoryView report={memory.report} running={memory.running} error={memory.error} rows={prefixes} cursor={prefixCursor.cursor} showCursor={isActive} width={width} height={height - (head ? 1 : 0)} /> : null}
		</TabScreen>
	);
}

export const redisTab: TabDefinition = {id: 'redis', title: 'Redis', Component: RedisTab};
