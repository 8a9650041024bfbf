// The frame: tab bar, the active tab, the bottom bar of keys, the `?` help overlay. The frame owns
// the global keys; a tab that opens a text field or a dialog takes the keyboard with useCapture().
import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {startBackends, type Backends} from '../backends/index.js';
import {Help, type HelpSection} from './components/help.js';
import {KeyHints} from './components/key-hints.js';
import {BackendsContext, FrameContext, type Frame, type Hint, type Tone} from './context.js';
import {useWindowSize} from './hooks/use-window-size.js';
import {backupsTab} from './tabs/backups/backups-tab.js';
import {keysTab} from './tabs/keys/keys-tab.js';
import {monitorTab} from './tabs/monitor/monitor-tab.js';
import {statusTab} from './tabs/status/status-tab.js';
import type {TabDefinition} from './tabs/types.js';
import {currentWork, holdWork, setQuitNote} from './work-in-progress.js';
import type {Safe} from '../text/sanitize.js';

export const tabs: readonly TabDefinition[] = [statusTab, keysTab, monitorTab, backupsTab];

export const minimumSize = {columns: 30, rows: 8};

/** no view has set its hints yet (the bottom bar shows the ones asked for during the first render) */
const noHints: readonly Hint[] = [];

const globalHelp: HelpSection = {
	title: 'Everywhere',
	keys: [
		['1 2 3 4', 'Status · Keys · Monitor · Backups'],
		['Tab S-Tab', 'next / previous tab'],
		['↑ ↓  j k', 'move'],
		['PgUp PgDn', 'page up / down'],
		['g G', 'top / bottom'],
		['Enter', 'open'],
		['Esc', 'back or cancel'],
		['/', 'filter'],
		['r', 'refresh now'],
		['?', 'this help'],
		['q  Ctrl-C', 'quit (during a restore: asks finish or abandon)'],
	],
};

type Props = {
	readonly backends: Backends;
	/** tab to open first (tests) */
	readonly initialTab?: number;
	/** start the backends after the first frame (off in tests that start them themselves) */
	readonly startOnMount?: boolean;
};

/** Rendered after the tabs: in the first render, the active tab's useHints has filled firstHints. */
function BottomBar({hints, firstHints, width, flash}: {readonly hints: readonly Hint[]; readonly firstHints: {readonly current: readonly Hint[] | undefined}; readonly width: number; readonly flash: {message: Safe; tone: Tone} | undefined}) {
	return <KeyHints hints={hints === noHints ? (firstHints.current ?? noHints) : hints} width={width} flash={flash} />;
}

type QuitState = {readonly label: string; readonly phase: 'ask' | 'finishing' | 'abandoning'};

/** The question `q` asks while a restore runs (the restore waits before touching the live file meanwhile). */
function QuitQuestion({quit, width}: {readonly quit: QuitState; readonly width: number}) {
	const lines = quit.phase === 'ask'
		? [`A ${quit.label} is running. Quit now?`, 'f  finish it, then quit', 'a  abandon it (nothing is changed), then quit', 'Esc  keep working']
		: [quit.phase === 'finishing' ? `Finishing the ${quit.label}, then quitting…` : `Abandoning the ${quit.label}, then quitting…`];
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="yellow" width={Math.min(width, 72)} paddingX={1}>
			{lines.map(line => <Text key={line} wrap="truncate">{line}</Text>)}
		</Box>
	);
}

function TabBar({active, width, readOnly}: {readonly active: number; readonly width: number; readonly readOnly: boolean}) {
	const narrow = width < 60;
	return (
		<Box height={1} width={width} overflowY="hidden">
			<Text wrap="truncate">
				{narrow ? null : <Text bold color="magenta">opsdeck </Text>}
				{tabs.map((tab, i) => {
					const label = narrow && i !== active ? `${i + 1}` : `${i + 1} ${tab.title}`;
					return (
						<Text key={tab.id} inverse={i === active} bold={i === active} color={i === active ? 'cyan' : undefined}>
							{` ${label} `}
						</Text>
					);
				})}
				{readOnly ? <Text color="yellow">{narrow ? ' RO' : '  read-only'}</Text> : null}
			</Text>
		</Box>
	);
}

export function App({backends, initialTab = 0, startOnMount = true}: Props) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const {columns, rows} = useWindowSize();
	const [active, setActive] = useState(initialTab);
	const [helpOpen, setHelpOpen] = useState(false);
	const [hints, setHintsState] = useState<readonly Hint[]>(noHints);
	const firstHints = useRef<readonly Hint[] | undefined>(undefined);
	const [captures, setCaptures] = useState<ReadonlySet<string>>(new Set());
	const [flashState, setFlash] = useState<{message: Safe; tone: Tone} | undefined>();
	const flashTimer = useRef<NodeJS.Timeout | undefined>(undefined);
	const [quit, setQuit] = useState<QuitState | undefined>();
	const releaseHold = useRef<(() => void) | undefined>(undefined);

	useEffect(() => {
		if (!startOnMount) return;
		// After the first frame: loading the drivers must not delay it.
		const timer = setTimeout(() => void startBackends(backends).catch(() => undefined), 0);
		return () => clearTimeout(timer);
	}, [backends, startOnMount]);

	useEffect(() => () => clearTimeout(flashTimer.current), []);

	const frame: Frame = useMemo(
		() => ({
			setHints: (next: readonly Hint[]) => setHintsState(previous => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next)),
			setCapture: (id: string, on: boolean) =>
				setCaptures(previous => {
					if (previous.has(id) === on) return previous;
					const next = new Set(previous);
					if (on) next.add(id);
					else next.delete(id);
					return next;
				}),
			firstHints,
			// a literal of the code or Safe text: the type of Frame['flash'] lets nothing else in
			flash: (message: string, tone: Tone = 'info') => {
				clearTimeout(flashTimer.current);
				setFlash({message: message as Safe, tone});
				flashTimer.current = setTimeout(() => setFlash(undefined), 5000);
			},
		}),
		[],
	);

	const capturing = captures.size > 0;
	const canRead = isRawModeSupported === true;
	const select = useCallback((index: number) => {
		setActive((index + tabs.length) % tabs.length);
		setHelpOpen(false);
	}, []);

	// q / Ctrl-C: quit, unless destructive work runs (issue 13, case 8): then ask finish / abandon,
	// the work held before it touches the live file meanwhile; once answered, quit when it is over.
	const quitting = useRef<QuitState | undefined>(undefined);
	const endWork = useCallback((how: 'finish' | 'abandon') => {
		const work = currentWork();
		const label = quitting.current?.label ?? 'job';
		if (work && how === 'abandon') work.abandon('abandoned');
		releaseHold.current?.();
		releaseHold.current = undefined;
		quitting.current = {label, phase: how === 'finish' ? 'finishing' : 'abandoning'};
		setQuit(quitting.current);
		if (!work) return exit();
		void work.done.then(line => {
			setQuitNote(line);
			exit();
		});
	}, [exit]);
	const requestQuit = useCallback((again: boolean) => {
		const now = quitting.current;
		if (now) {
			// a second Ctrl-C while asked: abandon
			if (again && now.phase === 'ask') endWork('abandon');
			return;
		}
		const work = currentWork();
		if (!work) return exit();
		releaseHold.current = holdWork();
		quitting.current = {label: work.label, phase: 'ask'};
		setQuit(quitting.current);
	}, [endWork, exit]);

	// Ink re-subscribes the handler in an effect after each render: a key that arrives in between
	// reaches the previous handler, so it reads the current state from a ref, never a stale closure.
	const current = useRef({helpOpen, active, capturing});
	current.current = {helpOpen, active, capturing};
	useInput(
		(input, key) => {
			const now = current.current;
			if (key.ctrl && input === 'c') return requestQuit(true);
			if (quitting.current) {
				if (quitting.current.phase !== 'ask') return;
				if (input === 'f') return endWork('finish');
				if (input === 'a') return endWork('abandon');
				if (key.escape) {
					releaseHold.current?.();
					releaseHold.current = undefined;
					quitting.current = undefined;
					setQuit(undefined);
				}
				return;
			}
			// a tab's text field or dialog has the keyboard
			if (now.capturing) return;
			if (now.helpOpen) {
				if (key.escape || input === '?' || input === 'q') {
					now.helpOpen = false;
					setHelpOpen(false);
				}
				return;
			}
			if (input === 'q') return requestQuit(false);
			if (input === '?') {
				now.helpOpen = true;
				return setHelpOpen(true);
			}
			const go = (index: number) => {
				now.active = (index + tabs.length) % tabs.length;
				select(index);
			};
			if (key.tab) return go(key.shift ? now.active - 1 : now.active + 1);
			if (/^[1-4]$/.test(input)) return go(Number(input) - 1);
		},
		{isActive: canRead},
	);

	const width = columns;
	const height = Math.max(1, rows - 1);
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return (
			<Box width={width} height={height} overflowY="hidden">
				<Text color="yellow" wrap="truncate-end">{`opsdeck needs ${minimumSize.columns}x${minimumSize.rows} (now ${columns}x${rows}); q quits`}</Text>
			</Box>
		);
	}

	const bodyHeight = Math.max(1, height - 2);
	const helpHints: Hint[] = [{key: 'Esc', label: 'close help'}, {key: 'q', label: 'close'}];
	const quitHints: Hint[] = quit?.phase === 'ask' ? [{key: 'f', label: 'finish, quit'}, {key: 'a', label: 'abandon, quit'}, {key: 'Esc', label: 'keep working'}] : [];
	return (
		<BackendsContext.Provider value={backends}>
			<FrameContext.Provider value={frame}>
				<Box flexDirection="column" width={width} height={height} overflowY="hidden">
					<TabBar active={active} width={width} readOnly={backends.config.readOnly} />
					<Box height={bodyHeight} width={width} flexDirection="column" overflowY="hidden">
						{quit ? <QuitQuestion quit={quit} width={width} /> : null}
						{helpOpen && !quit ? <Help sections={[tabs[active]!.help, globalHelp]} width={width} height={bodyHeight} /> : null}
						{tabs.map((tab, i) => (
							<Box key={tab.id} display={i === active && !helpOpen && !quit ? 'flex' : 'none'} height={bodyHeight} width={width} flexDirection="column">
								<tab.Component isActive={canRead && i === active && !helpOpen && !quit} isVisible={i === active} width={width} height={bodyHeight} />
							</Box>
						))}
					</Box>
					<BottomBar hints={quit ? quitHints : helpOpen ? helpHints : hints} firstHints={firstHints} width={width} flash={flashState} />
				</Box>
			</FrameContext.Provider>
		</BackendsContext.Provider>
	);
}
