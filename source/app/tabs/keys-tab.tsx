// The Keys tab: a Redis key browser. A background SCAN fills a windowed table (key, type, TTL,
// size — details fetched for the rows on screen only); `/` pattern, `t` type filter, `T` tree by
// ':' prefix; Enter opens a value, or for a cache key its chat (messages, pinned, backroom,
// reactions); `c` compares a chat with PostgreSQL; `x` deletes a key, `X` clears a chat's cache.
import {Box, Text} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {compileLayout} from '../../ops/cache-scan.js';
import {chatKeys, clearChat} from '../../ops/collections.js';
import {deleteKey, redisTypes, treeLevel, type KeyDetail, type RedisType, type TreeNode} from '../../ops/keys.js';
import {fit, formatBytes, formatCount, formatTtl} from '../../text/format.js';
import {errorMessage} from '../../text/mask.js';
import {sanitize} from '../../text/sanitize.js';
import {ChatView} from '../components/chat-view.js';
import {ConfirmDialog} from '../components/confirm-dialog.js';
import {Table, windowStart, type Column} from '../components/table.js';
import {ValueView} from '../components/value-view.js';
import {useBackends, useCapture, useFrame, useHints} from '../context.js';
import {useKeyDetails} from '../hooks/use-key-details.js';
import {useKeyScan} from '../hooks/use-key-scan.js';
import {useLatestInput} from '../hooks/use-latest-input.js';
import {useRowCursor} from '../hooks/use-row-cursor.js';
import type {TabDefinition, TabProps} from './types.js';

type View = {readonly kind: 'value'; readonly key: string} | {readonly kind: 'chat'; readonly chat: string; readonly key: string; readonly compare: boolean};
type Dialog = {readonly kind: 'delete'; readonly key: string; readonly lines: readonly string[]} | {readonly kind: 'clear'; readonly chat: string; readonly keys: readonly string[]; readonly lines: readonly string[]};
type Row = {readonly key: string; readonly node?: TreeNode};

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
	const [dialog, setDialog] = useState<Dialog | undefined>();
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

	const top = views.at(-1);
	const listActive = isActive && !top && !prompt && !dialog;
	const listOrPrompt = isActive && !top && !dialog;
	const tableHeight = Math.max(2, height - 1 - (prompt ? 1 : 0));
	const [cursor, setCursor] = useRowCursor(rows.length, tableHeight - 2, listActive);
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

	const push = (view: View) => setViews(v => [...v, view]);
	const pop = () => setViews(v => v.slice(0, -1));

	const open = (key: string) => {
		const c = classify(key);
		if (c) push({kind: 'chat', chat: c.chat, key, compare: false});
		else push({kind: 'value', key});
	};

	const askDelete = useCallback(async (key: string) => {
		if (backends.config.readOnly) {
			await deleteKey(backends.config, backends.redis, key).catch(error => frame.flash(errorMessage(error), 'error'));
			return;
		}
		const d = details.get(key);
		setDialog({kind: 'delete', key, lines: [`DEL ${sanitize(key)} on ${backends.redis.maskedUrl}`, d ? `${d.type}, ${formatBytes(d.bytes)}, ttl ${formatTtl(d.pttl)}` : '']});
	}, [backends, details, frame]);

	const askClear = useCallback(async (chat: string) => {
		if (backends.config.readOnly) {
			await clearChat(backends, chat, []).catch(error => frame.flash(errorMessage(error), 'error'));
			return;
		}
		try {
			const keys = await chatKeys(backends, chat);
			if (keys.length === 0) return frame.flash(`chat ${sanitize(chat)} has no cache keys`, 'warning');
			const list = keys.slice(0, 3).map(k => `  ${sanitize(k)}`);
			if (keys.length > 3) list.push(`  … and ${keys.length - 3} more`);
			setDialog({kind: 'clear', chat, keys, lines: [`DEL the ${keys.length} cache keys of chat ${sanitize(chat)} on ${backends.redis.maskedUrl}:`, ...list]});
		} catch (error) {
			frame.flash(errorMessage(error), 'error');
		}
	}, [backends, frame]);

	const confirmDialog = async () => {
		const d = dialog;
		setDialog(undefined);
		if (!d) return;
		try {
			if (d.kind === 'delete') {
				const removed = await deleteKey(backends.config, backends.redis, d.key);
				frame.flash(removed ? `deleted ${sanitize(d.key)}` : `${sanitize(d.key)} was already gone`, 'success');
				scan.remove([d.key]);
				setViews(v => v.filter(x => x.key !== d.key));
			} else {
				const result = await clearChat(backends, d.chat, d.keys);
				frame.flash(`cleared chat ${sanitize(d.chat)}: ${result.deleted} keys deleted`, 'success');
				scan.remove(d.keys);
				setViews(v => v.filter(x => !(x.kind === 'chat' && x.chat === d.chat) && !d.keys.includes(x.key)));
			}
		} catch (error) {
			frame.flash(errorMessage(error), 'error');
		}
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
			if (input === 'x') return void askDelete(row.key);
			const chat = chatOf(row.key);
			if (input === 'c' || input === 'X') {
				if (!chat) return frame.flash('not a chat cache key', 'warning');
				if (input === 'c') return push({kind: 'chat', chat, key: row.key, compare: true});
				return void askClear(chat);
			}
		},
		{isActive: listOrPrompt},
	);

	useLatestInput(
		(input, key) => {
			if (!top) return;
			if (key.escape) return pop();
			if (input === 'r') return setGeneration(g => g + 1);
			if (input === 'x') return void askDelete(top.key);
			const chat = top.kind === 'chat' ? top.chat : chatOf(top.key);
			if (input === 'X' && chat) return void askClear(chat);
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
		{key: 's', label: scan.running ? 'stop' : 'continue'},
		{key: '?', label: 'help'},
	];
	const viewHints = top?.kind === 'chat'
		? [{key: 'Esc', label: 'back'}, ...(top.compare ? [] : [{key: 'c', label: 'compare'}, {key: 'v', label: 'raw value'}]), {key: 'j k', label: 'scroll'}, {key: 'X', label: 'clear chat'}, {key: 'r', label: 'reload'}]
		: [{key: 'Esc', label: 'back'}, {key: 'j k', label: 'scroll'}, {key: 'n p', label: 'next/prev page'}, {key: 'x', label: 'delete'}, {key: 'r', label: 'reload'}];
	useHints(prompt ? [{key: 'Enter', label: 'scan'}, {key: 'Esc', label: 'cancel'}] : top ? viewHints : listHints, isActive && !dialog);

	if (dialog) {
		return (
			<Box width={width} height={height} flexDirection="column">
				<ConfirmDialog
					title={dialog.kind === 'delete' ? 'Delete key' : 'Clear chat cache'}
					lines={dialog.lines}
					word={dialog.kind === 'delete' ? 'delete' : 'clear'}
					onConfirm={() => void confirmDialog()}
					onCancel={reason => {
						setDialog(undefined);
						frame.flash(reason === 'timeout' ? 'cancelled (timed out): nothing was done' : 'cancelled: nothing was done', 'info');
					}}
					width={width}
					isActive={isActive}
				/>
			</Box>
		);
	}

	// a key per view: going from a chat to its comparison starts a fresh load, not the old lines
	if (top?.kind === 'value') return <ValueView key={`value|${top.key}`} backends={backends} redisKey={top.key} width={width} height={height} isActive={isActive} generation={generation} />;
	if (top?.kind === 'chat') return <ChatView key={`chat|${top.chat}|${top.compare}`} backends={backends} chat={top.chat} compare={top.compare} width={width} height={height} isActive={isActive} generation={generation} />;

	const p = scan.progress;
	const state = scan.error ? `error: ${scan.error}` : done ? 'done' : scan.waiting ? 'connecting to redis…' : scan.running ? 'scanning…' : 'stopped';
	const percent = p && p.total > 0 ? `${Math.floor((p.scanned / p.total) * 100)}%` : '';
	const narrow = width < 60;
	const status = narrow ? [`${formatCount(scan.keys.length)} keys`, done ? undefined : percent, state, pattern === '*' ? undefined : sanitize(pattern)].filter(Boolean).join(' · ') : [
		pattern === '*' ? 'all keys' : `pattern ${sanitize(pattern)}`,
		type ? `type ${type}` : undefined,
		tree ? `tree ${prefix ? sanitize(prefix) : '/'}${done ? '' : ' (partial)'}` : undefined,
		`${formatCount(scan.keys.length)} keys`,
		p && p.total > 0 ? `scanned ${formatCount(p.scanned)} of ${formatCount(p.total)}${p.masters > 1 ? ` on ${p.masters} masters` : ''}` : undefined,
		state,
	].filter(Boolean).join(' · ');

	const detail = (row: Row): KeyDetail | undefined => (row.node?.isGroup ? undefined : details.get(row.key));
	const columns: Column<Row | string>[] = [
		{key: 'key', title: tree ? 'name' : 'key', value: r => (typeof r === 'string' ? r : r.node ? r.node.name : r.key), minWidth: 12},
		...(tree ? [{key: 'count', title: done ? 'keys' : 'keys (partial)', width: done ? 8 : 14, align: 'right' as const, value: (r: Row | string) => (typeof r !== 'string' && r.node?.isGroup ? formatCount(r.node.count) : '')}] : []),
		{key: 'type', title: 'type', width: 6, priority: 1, value: r => detail(typeof r === 'string' ? {key: r} : r)?.type ?? ''},
		{key: 'ttl', title: 'ttl', width: 8, priority: 2, align: 'right', value: r => {
			const d = detail(typeof r === 'string' ? {key: r} : r);
			return d ? formatTtl(d.pttl) : '';
		}},
		{key: 'size', title: 'size', width: 9, priority: 3, align: 'right', value: r => {
			const d = detail(typeof r === 'string' ? {key: r} : r);
			return d ? formatBytes(d.bytes) : '';
		}},
	];

	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text wrap="truncate" color={scan.error ? 'red' : undefined} dimColor={!scan.error}>{fit(status, width)}</Text>
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
