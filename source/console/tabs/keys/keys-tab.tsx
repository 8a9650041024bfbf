// The Keys tab: a Redis key browser. A background SCAN fills a windowed table (key, type, TTL,
// size — details fetched for the rows on screen only); `/` pattern, `t` type filter, `T` tree by
// ':' prefix; Enter opens a value, or for a cache key its chat (messages, pinned, backroom,
// reactions); `c` compares a chat with PostgreSQL; `x` deletes a key, `X` clears a chat's cache.
import {Text} from 'ink';
import {useMemo, useState} from 'react';
import {compileLayout} from '../../../cache/layout-scan.js';
import {redisTypes, treeLevel, type RedisType} from '../../../cache/keys.js';
import {fit, formatCount} from '../../../text/format.js';
import {safe, sanitize} from '../../../text/sanitize.js';
import {ChatView} from './chat-view.js';
import {Table, windowStart} from '../../components/table.js';
import {TabScreen} from '../../components/tab-screen.js';
import {TextField} from '../../components/text-field.js';
import {ValueView} from './value-view.js';
import {useBackends, useFrame, useKeyspace} from '../../context.js';
import {keyColumns, scanStatus, type Row} from './key-list.js';
import {listKeymap, viewKeymap} from './keymap.js';
import {useKeyActions} from './use-key-actions.js';
import {useKeyDetails} from './use-key-details.js';
import {useKeyScan} from './use-key-scan.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import type {TabDefinition, TabProps} from '../types.js';
import {SafeText} from '../../components/safe-text.js';
import {copyableKey, tableRows} from '../../share/current.js';

type View = {readonly kind: 'value'; readonly key: string} | {readonly kind: 'chat'; readonly chat: string; readonly key: string; readonly compare: boolean};

const typeCycle: readonly (RedisType | undefined)[] = [undefined, ...redisTypes];
/** Redis takes long MATCH patterns; a paste longer than this is cut, and the console says so */
const patternMax = 4096;
/** above this many keys the finished list stays in SCAN order (sorting would stall the console) */
const sortLimit = 200_000;

function rowAt(rows: readonly Row[] | readonly string[], i: number): Row | undefined {
	const r = rows[i];
	return r === undefined ? undefined : typeof r === 'string' ? {key: r} : r;
}

/** a row's identity for the cursor: the key, or in the tree view the group or key it stands for */
const rowId = (r: Row | string) => (typeof r === 'string' ? r : `${r.node?.isGroup ? 'group' : 'key'} ${r.key}`);

function KeysTab({isActive, isVisible, width, height}: TabProps) {
	const backends = useBackends();
	const frame = useFrame();
	const [pattern, setPattern] = useState('*');
	const [type, setType] = useState<RedisType | undefined>();
	const [tree, setTree] = useState(false);
	const [prefix, setPrefix] = useState('');
	const [views, setViews] = useState<readonly View[]>([]);
	const [prompt, setPrompt] = useState(false);
	const [generation, setGeneration] = useState(0);
	// the scan starts the first time the tab is shown, not at start-up
	const [seen, setSeen] = useState(isVisible);
	if (isVisible && !seen) setSeen(true);

	// a flush by this console scans again (the cursor stays on its key if it is still there)
	const {generation: keyspace} = useKeyspace();
	const scan = useKeyScan(backends, {pattern, type, enabled: seen, keyspace});
	const done = scan.progress?.done === true;
	const classify = useMemo(() => compileLayout(backends.config.collections), [backends]);
	const chatOf = (key: string) => classify(key)?.chat;

	const {list} = scan;
	const sorted = useMemo(() => (done && list.keys.length <= sortLimit ? [...list.keys].sort() : list.keys), [done, list]);
	const rows: readonly Row[] | readonly string[] = useMemo(() => (tree ? treeLevel(sorted, prefix).map(node => ({key: node.path, node})) : sorted), [tree, prefix, sorted]);

	const actions = useKeyActions(backends, {
		onDeleted: key => {
			scan.remove([key]);
			setViews(v => v.filter(x => x.key !== key));
		},
		onCleared: (chat, keys) => {
			scan.remove(keys);
			setViews(v => v.filter(x => !(x.kind === 'chat' && x.chat === chat) && !keys.includes(x.key)));
		},
	});

	const top = views.at(-1);
	const tableHeight = Math.max(2, height - 1 - (prompt ? 1 : 0));
	// by identity: the highlight stays on its key while the scan grows the list and sorts it at the
	// end; a new scan starts at the top and stays there until the operator moves
	const listCursor = useListCursor<Row | string>(rows, rowId, {pageSize: tableHeight - 2, complete: done, untilMoved: true});
	const {cursor, toTop: cursorToTop, select} = listCursor;
	const row = listCursor.selected === undefined ? undefined : typeof listCursor.selected === 'string' ? {key: listCursor.selected} : listCursor.selected;

	const visibleStart = windowStart(cursor, rows.length, tableHeight - 1);
	const visibleKeys: string[] = [];
	for (let i = visibleStart; i < Math.min(rows.length, visibleStart + tableHeight - 1); i++) {
		const r = rowAt(rows, i)!;
		if (!r.node?.isGroup) visibleKeys.push(r.key);
	}
	// a key found gone when its details load leaves the list; the details are read again after any
	// scan (one the operator asked for, or the one after Redis came back)
	const details = useKeyDetails(backends, isVisible ? visibleKeys : [], `${generation} ${scan.generation}`, scan.remove);

	const push = (view: View) => setViews(v => [...v, view]);
	const pop = () => setViews(v => v.slice(0, -1));
	const open = (key: string) => {
		const c = classify(key);
		push(c ? {kind: 'chat', chat: c.chat, key, compare: false} : {kind: 'value', key});
	};
	const withChat = (key: string, then: (chat: string) => void) => {
		const chat = chatOf(key);
		if (!chat) return frame.flash('not a chat cache key', 'warning');
		then(chat);
	};
	const toTop = (next: () => void) => {
		next();
		cursorToTop();
	};
	// the same list read again: the highlight stays on its key (issue 16.1), found again as the
	// scan refills the list; a new scan (pattern, type, tree) starts at the top
	const rescan = () => {
		setGeneration(g => g + 1);
		scan.rescan();
	};
	// the same pattern entered again scans again: the operator asks for what is there now
	const submitPattern = (value: string) => {
		setPrompt(false);
		setPattern(value.trim() === '' ? '*' : value.trim());
		setPrefix('');
		rescan();
		cursorToTop();
	};

	if (actions.dialog) return <TabScreen keymap={[]} width={width} height={height}>{actions.render(width, height, isActive)}</TabScreen>;

	if (top) {
		const chat = top.kind === 'chat' ? top.chat : chatOf(top.key);
		const {lead, trail} = viewKeymap({
			chat: top.kind === 'chat',
			compared: top.kind === 'chat' && top.compare,
			inChat: chat !== undefined,
			back: pop,
			compare: () => top.kind === 'chat' && push({...top, compare: true}),
			raw: () => push({kind: 'value', key: top.key}),
			remove: () => void actions.askDelete(top.key, details.get(top.key)),
			clear: () => chat !== undefined && void actions.askClear(chat),
			reload: () => {
				setGeneration(g => g + 1);
				frame.flash('reloading…', 'info');
			},
		});
		// a key per view: going from a chat to its comparison starts a fresh load, not the old lines
		return top.kind === 'value'
			? <ValueView key={`value|${top.key}`} backends={backends} redisKey={top.key} width={width} height={height} generation={generation} lead={lead} trail={trail} />
			: <ChatView key={`chat|${top.chat}|${top.compare}`} backends={backends} chat={top.chat} compare={top.compare} width={width} height={height} generation={generation} lead={lead} trail={trail} />;
	}

	const onKey = row !== undefined && !row.node?.isGroup;
	const keymap = [
		...listKeymap({
			onRow: row !== undefined,
			onKey,
			onChat: onKey && chatOf(row.key) !== undefined,
			inGroup: tree && prefix !== '',
			scanning: !done,
			running: scan.running,
			pattern: () => setPrompt(true),
			cycleType: () => toTop(() => setType(typeCycle[(typeCycle.indexOf(type) + 1) % typeCycle.length])),
			toggleTree: () => toTop(() => {
				setTree(t => !t);
				setPrefix('');
			}),
			open: () => {
				if (!row) return;
				if (row.node?.isGroup) return toTop(() => setPrefix(row.key));
				open(row.key);
			},
			// up a level lands on the group one came from (its path is the prefix being left)
			up: () => {
				setPrefix(prefix.slice(0, prefix.slice(0, -1).lastIndexOf(':') + 1));
				select(`group ${prefix}`);
			},
			compare: () => row && withChat(row.key, chat => push({kind: 'chat', chat, key: row.key, compare: true})),
			remove: () => row && void actions.askDelete(row.key, details.get(row.key)),
			clear: () => row && withChat(row.key, chat => void actions.askClear(chat)),
			rescan: () => {
				rescan();
				frame.flash(pattern === '*' ? 'rescanning all keys…' : sanitize(`rescanning ${pattern}…`), 'info');
			},
			toggleScan: scan.toggle,
		}),
		...listCursor.keys,
	];
	const status = scanStatus({scan, done, pattern, type, tree, prefix, width});
	// which rows are on screen when they do not all fit, as the Monitor says it (hostile defect 16):
	// the range stays whole on a narrow pane, the status is what gets cut; while the scan runs, its
	// progress has the line (the range would cut it)
	const shownEnd = Math.min(rows.length, visibleStart + tableHeight - 1);
	const range = done && rows.length > tableHeight - 1 && !scan.error ? `rows ${formatCount(visibleStart + 1)}–${formatCount(shownEnd)} of ${formatCount(rows.length)}` : '';
	// `y` copies the highlighted key (a group of the tree view: its prefix); `E` writes the list
	const current = {
		item: row ? {text: copyableKey(row.key), what: row.node?.isGroup ? 'prefix' : 'key'} : undefined,
		rows: {name: 'keys', table: () => tableRows('keys', keyColumns(tree, done, details), rows as readonly (Row | string)[])},
	};
	return (
		<TabScreen keymap={keymap} width={width} height={height} current={current}>
			<Text wrap="truncate">
				<SafeText color={scan.error ? 'red' : undefined} dimColor={!scan.error}>{fit(status, Math.max(1, width - (range ? range.length + 3 : 0)))}</SafeText>
				{range ? <Text dimColor>{` · ${range}`}</Text> : null}
			</Text>
			<Table
				columns={keyColumns(tree, done, details)}
				rows={rows as readonly (Row | string)[]}
				cursor={cursor}
				height={tableHeight}
				width={width}
				empty={scan.down ? 'Redis is down: no keys to show until it is back' : scan.running || !seen ? 'scanning…' : scan.error ? 'the scan failed (above)' : 'no keys match'}
			/>
			{prompt ? (
				<TextField label="pattern:" initial={pattern === '*' ? '' : pattern} max={patternMax} submitLabel="scan" isActive={isActive} width={width} onCancel={() => setPrompt(false)} onSubmit={submitPattern} onFull={() => frame.flash(safe`pattern cut at ${formatCount(patternMax)} characters`, 'warning')} />
			) : null}
		</TabScreen>
	);
}

export const keysTab: TabDefinition = {id: 'keys', title: 'Keys', Component: KeysTab};
