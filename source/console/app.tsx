// The frame: the tab bar, the active tab (whose screen draws its own bottom bar from its keymap),
// and the `?` help or the quit question over it. Every key comes through the one input layer
// (input/): the frame registers its own keys there, each tab the keymap of the screen it shows.
import {Box, Text, useApp, useStdin} from 'ink';
import {useEffect, useLayoutEffect, useMemo, useState, type ReactNode} from 'react';
import {startBackends, type Backends} from '../backends/index.js';
import {BottomBar} from './components/bottom-bar.js';
import {Help, helpRows, type HelpSection} from './components/help.js';
import {BackendsContext, FlashContext, FrameBarContext, FrameContext, KeyspaceContext} from './context.js';
import {firstKeymap, frameBar, frameKeymap, helpKeymap} from './frame/frame-keymap.js';
import {QuitQuestion, useQuit} from './frame/quit.js';
import {ProfileBanner, TabBar} from './frame/tab-bar.js';
import {ProfilePicker} from './frame/profile-picker.js';
import {fileLoader, ProfileLoaderContext, useEnvironment, type ProfileLoader} from './frame/use-environment.js';
import {useFlash} from './frame/use-flash.js';
import {scrollRoom, useScroll} from './hooks/use-scroll.js';
import {useWindowSize} from './hooks/use-window-size.js';
import {Keyboard, TabIdContext, useRouter} from './input/keyboard.js';
import {barItems, helpLines, type KeyEntry} from './input/keymap.js';
import {safe, sanitize} from '../text/sanitize.js';
import {backupsTab} from './tabs/backups/backups-tab.js';
import {keysTab} from './tabs/keys/keys-tab.js';
import {logsTab} from './tabs/logs/logs-tab.js';
import {monitorTab} from './tabs/monitor/monitor-tab.js';
import {postgresTab} from './tabs/postgres/postgres-tab.js';
import {redisTab} from './tabs/redis/redis-tab.js';
import {statusTab} from './tabs/status/status-tab.js';
import type {TabDefinition} from './tabs/types.js';

export const tabs: readonly TabDefinition[] = [statusTab, keysTab, monitorTab, backupsTab, postgresTab, redisTab, logsTab];

export const minimumSize = {columns: 30, rows: 8};

type Props = {
	readonly backends: Backends;
	/** tab to open first (tests) */
	readonly initialTab?: number;
	/** start the backends after the first frame (off in tests that start them themselves) */
	readonly startOnMount?: boolean;
	/** P: loads a profile's config (cli.tsx: the same flags and environment); default: the same config file */
	readonly loadProfile?: ProfileLoader;
	/** told of the backends of each environment switched to (run-console closes the last at exit) */
	readonly onSwitch?: (backends: Backends) => void;
};

export function App(props: Props) {
	return (
		<Keyboard>
			<Frame {...props} />
		</Keyboard>
	);
}

/** The help or the quit question in the body's place, with the keys it takes in the bar. */
function Overlay({keymap, width, height, children}: {readonly keymap: readonly KeyEntry[]; readonly width: number; readonly height: number; readonly children: ReactNode}) {
	return (
		<Box flexDirection="column" width={width} height={height + 1}>
			<Box flexDirection="column" width={width} height={height} overflowY="hidden">{children}</Box>
			<BottomBar items={barItems(keymap)} width={width} />
		</Box>
	);
}

function Frame({backends: initialBackends, initialTab = 0, startOnMount = true, loadProfile, onSwitch}: Props) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const router = useRouter();
	const {columns, rows} = useWindowSize();
	const [active, setActive] = useState(initialTab);
	// the help on screen: the tab's section, from its keymap as it was when `?` was pressed
	const [help, setHelp] = useState<HelpSection | undefined>();
	const flash = useFlash();
	const [load] = useState(() => loadProfile ?? fileLoader(initialBackends.config));
	const environment = useEnvironment(initialBackends, {load, flash: flash.frame.flash, onSwitch});
	const {backends, generation} = environment;
	// the tabs' flash: an answer of the old environment arriving after a switch is not shown
	const {isCurrent} = environment;
	const frameFlash = flash.frame.flash;
	const tabFrame = useMemo(() => ({flash: ((message: string, tone?: Parameters<typeof frameFlash>[1]) => {
		if (isCurrent(generation)) frameFlash(message as never, tone);
	}) as typeof frameFlash}), [frameFlash, generation, isCurrent]);
	const [keyspaceGeneration, setKeyspaceGeneration] = useState(0);
	const keyspace = useMemo(() => ({generation: keyspaceGeneration, changed: () => setKeyspaceGeneration(g => g + 1)}), [keyspaceGeneration]);
	const quit = useQuit(exit);

	useEffect(() => {
		if (!startOnMount) return;
		// After the first frame: loading the drivers must not delay it.
		const timer = setTimeout(() => void startBackends(backends).catch(() => undefined), 0);
		return () => clearTimeout(timer);
	}, [backends, startOnMount]);

	const tab = tabs[active]!;
	const titles = tabs.map(t => t.title);
	const select = (index: number) => {
		setActive((index + tabs.length) % tabs.length);
		setHelp(undefined);
	};
	const openHelp = () => setHelp({title: tab.title, keys: helpLines(router?.tabKeymap(tab.id) ?? [])});
	const first = firstKeymap(quit.request);
	const keys = frameKeymap({titles, active, select, openHelp, quit: quit.request, profiles: {open: environment.open, any: environment.names.length > 0}});
	// the help scrolls (j k, PgUp PgDn, g G) when it is taller than the pane
	const bodyHeight = Math.max(1, rows - 3);
	const helpText = help ? helpRows([help, {title: 'Everywhere', keys: helpLines([...keys, ...first])}], columns) : [];
	const helpScroll = useScroll(helpText.length, bodyHeight - 1, help?.title ?? '');
	// listed in the bar only when there is more to see
	const helpMore = helpText.length > scrollRoom(bodyHeight - 1);
	const helpKeys = help ? [...helpKeymap(() => setHelp(undefined)), ...helpScroll.keys.map(k => (helpMore ? k : {...k, label: undefined}))] : environment.pickerKeys;
	// the reason is the console's own words (router.ts, a capture's pasteRefused literal)
	const pasteIgnored = (why: string) => frameFlash(safe`paste ignored: ${sanitize(why)}`, 'warning');
	// after every commit, before the next key is handled (input/keyboard.tsx)
	useLayoutEffect(() => {
		router?.setFrame({first, question: quit.keymap, help: helpKeys, keys, activeTab: tab.id, seen: flash.dismiss, pasteIgnored});
	});

	const width = columns;
	const height = Math.max(1, rows - 1);
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return (
			<Box width={width} height={height} overflowY="hidden">
				<Text color="yellow" wrap="truncate-end">
					{backends.config.profile ? <ProfileBanner profile={backends.config.profile} cells={8} /> : null}
					{`${backends.config.profile ? ' ' : ''}opsdeck needs ${minimumSize.columns}x${minimumSize.rows} (now ${columns}x${rows}); q quits`}
				</Text>
			</Box>
		);
	}

	const canRead = isRawModeSupported === true;
	const covered = quit.state !== undefined || help !== undefined || environment.picker !== undefined;
	return (
		<BackendsContext.Provider value={backends}>
			<ProfileLoaderContext.Provider value={load}>
			<FrameContext.Provider value={tabFrame}>
				<FlashContext.Provider value={flash.shown}>
					<KeyspaceContext.Provider value={keyspace}>
					<FrameBarContext.Provider value={frameBar(keys)}>
						<Box flexDirection="column" width={width} height={height} overflowY="hidden">
							<TabBar titles={titles} active={active} width={width} readOnly={backends.config.readOnly} profile={backends.config.profile} />
							{quit.state ? (
								<Overlay keymap={quit.keymap ?? []} width={width} height={bodyHeight}><QuitQuestion quit={quit.state} width={width} /></Overlay>
							) : help ? (
								<Overlay keymap={helpKeys ?? []} width={width} height={bodyHeight}>
									<Help rows={helpText} top={helpScroll.top} width={width} height={bodyHeight} />
								</Overlay>
							) : environment.picker !== undefined ? (
								<Overlay keymap={environment.pickerKeys ?? []} width={width} height={bodyHeight}>
									<ProfilePicker config={backends.config} cursor={environment.picker} width={width} height={bodyHeight} />
								</Overlay>
							) : null}
							{/* keyed by the environment: a switch mounts every tab afresh on the new backends */}
							{tabs.map((t, i) => (
								<Box key={`${generation}:${t.id}`} display={i === active && !covered ? 'flex' : 'none'} height={bodyHeight + 1} width={width} flexDirection="column">
									<TabIdContext.Provider value={t.id}>
										<t.Component isActive={canRead && i === active && !covered} isVisible={i === active} width={width} height={bodyHeight} />
									</TabIdContext.Provider>
								</Box>
							))}
						</Box>
					</FrameBarContext.Provider>
					</KeyspaceContext.Provider>
				</FlashContext.Provider>
			</FrameContext.Provider>
			</ProfileLoaderContext.Provider>
		</BackendsContext.Provider>
	);
}
