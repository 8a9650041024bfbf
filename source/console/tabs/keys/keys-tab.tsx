// The Keys tab: a Redis key browser. A background SCAN fills a windowed table (key, type, TTL,
// size — details fetched for the rows on screen only); `/` pattern, `t` type filter, `T` tree by
// ':' prefix; Enter opens a value, or for a cache key its chat (messages, pinned, backroom,
// reactions); `c` compares a chat with PostgreSQL; `x` deletes a key, `X` clears a chat's cache.
import {Box, Text} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {compileLayout} from '../../../cache/layout-scan.js';
import {redisTypes, treeLevel, type KeyDetail, type RedisType} from '../../../cache/keys.js';
import {fit} from '../../../text/format.js';
import {sanitize} from '../../../text/sanitize.js';
import {ChatView} from './chat-view.js';
import {Table, windowStart} from '../../components/table.js';
import {ValueView} from './value-view.js';
import {useBackends, useCapture, useFrame, useHints} from '../../context.js';
import {keyColumns, scanStatus, type Row} from './key-list.js';
import {useKeyActions} from './use-key-actions.js';
import {useKeyDetails} from './use-key-details.js';
import {useKeyScan} from './use-key-scan.js';
import {useLatestInput} from '../../hooks/use-latest-input.js';
import {useListCursor} from '../../hooks/use-list-cursor.js';
import type {TabDefinition, TabProps} from '../types.js';
import {SafeText} from '../../components/safe-text.js';

type View = {readonly kind: 'value'; readonly key: string} | {readonly kind: 'chat'; readonly chat: string; readonly key: string; readonly compare: boolean};

/** the end of a long text, where the typing happens */
function tail(text: string, room: number): string {
	const chars = Array.from(text);
	return chars.length > room ? '…' + chars.slice(chars.length - room + 1).join('') : text;
}

const typeCycle: readonly (RedisType | undefined)[] = [undefined, ...redisTypes];
/** above this many keys the finished list stays in SCAN order (sorting would stall the console) */
const sortLimit = 200_000;

function KeysTab({isActive, isVisible, width, height}: TabProps) {
	const backends = useBackends();
	const frame = useFrame();
	const [pattern, setPattern] = useState('*');
	const [type, setType] = useState<RedisType | undefined>();
	const [tree, setTree] = useState(false);
	const [prefix, setPrefix] = useState('');
	const [views, setViews] = useState<readonly View[]>([]);
	// The pattern field is typed into through the tab's own always-subscribed handler (not a
	// Prompt that subscribes when it opens): a key typed right after `/`, or Enter right after the
	// last character, is never lost or read stale. The ref holds the text between renders.
	const [draft, setDraft] = useState<string | undefined>();
	const draftRef = useRef<string | undefined>(undefined);
	const prompt = draft !== undefined;
	useCapture(prompt && isActive);
	const editDraft = (next: string | undefined) => {
		draftRef.current = next;
		setDraft(next);
	};
	const [generation, setGeneration] = useState(0);
	const [seen, setSeen] = useState(false);
	useEffect(() => {
		if (isVisible) setSeen(true);
	}, [isVisible]);

	// the scan starts the first time the tab is shown, not at start-up
	const scan = useKeyScan(backends, {pattern, type, enabled: seen});
	const done = scan.progress?.done === true;
	const classify = useMemo(() => compileLayout(backends.config.collections), [backends]);

	const sorted = useMemo(() => (done && scan.keys.length <= sortLimit ? [...scan.keys].sort() : scan.keys), [done, scan.keys, scan.version]);
	const rows: readonly Row[] | readonly string[] = useMemo(() => (tree ? treeLevel(sorted, prefix).map(node => ({key: node.path, node})) : sorted), [tree, prefix, sorted]);
	const rowKey = (i: number): Row | undefined => {
		const r = rows[i];
		return r === undefined ? undefined : typeof r === 'string' ? {key: r} : r;
	};

	// details are fetched for the rows on screen below; the dialog reads the latest through a ref
	const detailsRef = useRef<ReadonlyMap<string, KeyDetail>>(new Map());
	const actions = useKeyActions(backends, () => detailsRef.current, {
		onDeleted: key => {
			scan.remove([key]);
			setViews(v => v.filter(x => x.key !== key));
		},
		onCleared: (chat, keys) => {
			scan.remove(keys);
			setViews(v => v.filter(x => !(x.kind === 'chat' && x.chat === chat) && !keys.includes(x.key)));
		},
	});
	const dialog = actions.dialog;

	const top = views.at(-1);
	const listActive = isActive && !top && !prompt && !dialog;
	const listOrPrompt = isActive && !top && !dialog;
	const tableHeight = Math.max(2, height - 1 - (prompt ? 1 : 0));
	const [cursor, setCursor] = useListCursor(rows.length, tableHeight - 2, listActive);
	const submitPattern = (value: string) => {
		editDraft(undefined);
		setPattern(value.trim() === '' ? '*' : value.trim());
		setPrefix('');
		setCursor(0);
	};

	// Keep the cursor on the same key when the finished list gets sorted (once, when the scan ends).
	// Done during render, not in an effect: a key pressed before a late effect would be undone.
	const selectedRef = useRef<{key: string | undefined; sorted: boolean}>({key: undefined, sorted: false});
	const isSorted = sorted !== scan.keys;
	if (selectedRef.current.sorted !== isSorted) {
		const previous = selectedRef.current.key;
		selectedRef.current = {key: previous, sorted: isSorted};
		const at = previous === undefined || tree || !isSorted ? -1 : sorted.indexOf(previous);
		if (at >= 0 && at !== cursor) setCursor(at);
	}
	const selected = rowKey(cursor);
	selectedRef.current.key = selected?.key;

	const visibleStart = windowStart(cursor, rows.length, tableHeight - 1);
	const visibleKeys = useMemo(() => {
		const out: string[] = [];
		for (let i = visibleStart; i < Math.min(rows.length, visibleStart + tableHeight - 1); i++) {
			const r = rowKey(i)!;
			if (!r.node || !r.node.isGroup) out.push(r.key);
		}
		return out;
	}, [rows, visibleStart, tableHeight, scan.version]);
	const details = useKeyDetails(backends, isVisible ? visibleKeys : [], generation);
	detailsRef.current = details;

	const push = (view: View) => setViews(v => [...v, view]);
	const pop = () => setViews(v => v.slice(0, -1));

	const open = (key: string) => {
		const c = classify(key);
		if (c) push({kind: 'chat', chat: c.chat, key, compare: false});
		else push({kind: 'value', key});
	};


	const chatOf = (key: string | undefined) => (key === undefined ? undefined : classify(key)?.chat);

	useLatestInput(
		(input, key) => {
			if (draftRef.current !== undefined) {
				const text = draftRef.current;
				if (key.escape) return editDraft(undefined);
				if (key.return) return submitPattern(text);
				if (key.backspace || key.delete) return editDraft(text.slice(0, -1));
				if (key.ctrl && input === 'u') return editDraft('');
				if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
				// a paste of controls must not reach the screen
				if (input) editDraft((text + input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')).slice(0, 512));
				return;
			}
			const row = rowKey(cursor);
			if (input === '/') return editDraft(pattern === '*' ? '' : pattern);
			if (input === 't') {
				const next = typeCycle[(typeCycle.indexOf(type) + 1) % typeCycle.length];
				setType(next);
				setCursor(0);
				return;
			}
			if (input === 'T') {
				setTree(t => !t);
				setPrefix('');
				setCursor(0);
				return;
			}
			if (input === 'r') {
				setGeneration(g => g + 1);
				return scan.rescan();
			}
			if (input === 's') return scan.toggle();
			if (key.escape && tree && prefix) {
				const up = prefix.slice(0, prefix.slice(0, -1).lastIndexOf(':') + 1);
				setPrefix(up);
				setCursor(0);
				return;
			}
			if (!row) return;
			if (key.return) {
				if (row.node?.isGroup) {
					setPrefix(row.key);
					setCursor(0);
					return;
				}
				return open(row.key);
			}
			if (row.node?.isGroup) return;
			if (input === 'x') return void actions.askDelete(row.key);
			const chat = chatOf(row.key);
			if (input === 'c' || input === 'X') {
				if (!chat) return frame.flash('not a chat cache key', 'warning');
				if (input === 'c') return push({kind: 'chat', chat, key: row.key, compare: true});
				return void actions.askClear(chat);
			}
		},
		{isActive: listOrPrompt},
	);

	useLatestInput(
		(input, key) => {
			if (!top) return;
			if (key.escape) return pop();
			if (input === 'r') return setGeneration(g => g + 1);
			if (input === 'x') return void actions.askDelete(top.key);
			const chat = top.kind === 'chat' ? top.chat : chatOf(top.key);
			if (input === 'X' && chat) return void actions.askClear(chat);
			if (top.kind === 'chat' && !top.compare && input === 'c') return push({...top, compare: true});
			if (top.kind === 'chat' && input === 'v') return push({kind: 'value', key: top.key});
		},
		{isActive: isActive && top !== undefined && !dialog},
	);

	const listHints = [
		{key: '/', label: 'pattern'},
		{key: 't', label: 'type'},
		{key: 'T', label: 'tree'},
		{key: 'Enter', label: 'open'},
		...(tree && prefix ? [{key: 'Esc', label: 'up'}] : []),
		{key: 'c', label: 'compare'},
		{key: 'x', label: 'delete'},
		{key: 'X', label: 'clear chat'},
		{key: 'r', label: 'rescan'},
		...(done ? [] : [{key: 's', label: scan.running ? 'stop scan' : 'continue scan'}]),
		{key: '?', label: 'help'},
	];
	const viewHints = top?.kind === 'chat'
		? [{key: 'Esc', label: 'back'}, ...(top.compare ? [] : [{key: 'c', label: 'compare'}, {key: 'v', label: 'raw value'}]), {key: 'j k', label: 'scroll'}, {key: 'X', label: 'clear chat'}, {key: 'r', label: 'reload'}]
		: [{key: 'Esc', label: 'back'}, {key: 'j k', label: 'scroll'}, {key: 'n p', label: 'next/prev page'}, {key: 'x', label: 'delete'}, {key: 'r', label: 'reload'}];
	const dialogHints = [{key: 'Enter', label: 'confirm (after the word)'}, {key: 'Esc', label: 'cancel'}];
	useHints(dialog ? dialogHints : prompt ? [{key: 'Enter', label: 'scan'}, {key: 'Esc', label: 'cancel'}] : top ? viewHints : listHints, isActive);

	if (dialog) return <Box width={width} height={height} flexDirection="column">{actions.render(width, height, isActive)}</Box>;

	// a key per view: going from a chat to its comparison starts a fresh load, not the old lines
	if (top?.kind === 'value') return <ValueView key={`value|${top.key}`} backends={backends} redisKey={top.key} width={width} height={height} isActive={isActive} generation={generation} />;
	if (top?.kind === 'chat') return <ChatView key={`chat|${top.chat}|${top.compare}`} backends={backends} chat={top.chat} compare={top.compare} width={width} height={height} isActive={isActive} generation={generation} />;

	const status = scanStatus({scan, done, pattern, type, tree, prefix, width});
	const columns = keyColumns(tree, done, details);

	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<SafeText wrap="truncate" color={scan.error ? 'red' : undefined} dimColor={!scan.error}>{fit(status, width)}</SafeText>
			<Table
				columns={columns}
				rows={rows as readonly (Row | string)[]}
				cursor={cursor}
				height={tableHeight}
				width={width}
				empty={scan.running || !seen ? 'scanning…' : 'no keys match'}
			/>
			{prompt ? (
				<Text wrap="truncate">
					<Text color="cyan">pattern: </Text>
					<Text>{tail(sanitize(draft ?? ''), Math.max(1, width - 11))}</Text>
					<Text inverse> </Text>
				</Text>
			) : null}
		</Box>
	);
}

export const keysTab: TabDefinition = {
	id: 'keys',
	title: 'Keys',
	Component: KeysTab,
	help: {
		title: 'Keys',
		keys: [
			['/', 'scan with a pattern (glob, e.g. chat:*)'],
			['t', 'type filter: all, string, hash, list, set, zset, stream'],
			['T', 'tree view grouped by ":" (Enter opens a group, Esc goes up)'],
			['Enter', 'open the value, or the chat of a cache key'],
			['c', 'compare a chat cache with PostgreSQL'],
			['v', 'raw value (in a chat)'],
			['n p', 'next page / previous page of a value'],
			['x', 'delete the key (confirm)'],
			['X', 'clear the chat cache (confirm)'],
			['r', 'rescan / reload'],
			['s', 'stop or continue the scan'],
			['Esc', 'back'],
		],
	},
};
