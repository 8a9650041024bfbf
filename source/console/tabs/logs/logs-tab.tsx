// Logs (7): the app's logs, one source at a time ([ ]), the newest screenful read backwards from the
// end of the file at once, older pages read as you scroll up; `f` follows through rotations (lines
// per second in the header), space pauses; `/` filters by text or /regex/, `e` errors only, `w`
// warnings and up; matches marked, n N jump between them; W wraps. The header's first line is the
// app's process (APP_SERVICE), `S` restarts it through the typed-word guard.
import {Text} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {compileFilter, FilterError, slashedRegex, type FilterSpec} from '../../../logs/filter.js';
import type {LevelFilter} from '../../../logs/level.js';
import {logSources, type SourceList} from '../../../logs/sources.js';
import {fit, formatBytes, wrapCells} from '../../../text/format.js';
import {errorMessage} from '../../../text/mask.js';
import {safe, sanitize, type Safe} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {SafeText} from '../../components/safe-text.js';
import {TabScreen} from '../../components/tab-screen.js';
import {TextField} from '../../components/text-field.js';
import {useBackends, useFrame} from '../../context.js';
import type {TabDefinition, TabProps} from '../types.js';
import {followText, sourceLine} from './header.js';
import {logsKeymap} from './keymap.js';
import {AppLine, LogRows, noSourcesLines, Note} from './log-view.js';
import {useAppProcess} from './use-app-process.js';
import {useLogScroll} from './use-log-scroll.js';
import {useLogView} from './use-log-view.js';

/** What `/` typed: `/re/flags` is a regular expression (a bad flag refused), anything else plain text in any case. */
export function searchSpec(typed: string): FilterSpec {
	return slashedRegex.test(typed) ? {grep: typed} : {text: typed};
}

/** lines per page while N searches the pages above (fewer, larger pages than scrolling reads) */
const seekPageLines = 5000;
/** what one N reads of the file at most before it says how far it got (the lines read are kept) */
const seekBytesPerPress = 128 * 1024 * 1024;

function LogsTab({isActive, isVisible, width, height}: TabProps) {
	const {config} = useBackends();
	const frame = useFrame();
	const app = useAppProcess(isVisible);
	const [list, setList] = useState<SourceList | undefined>();
	const [listError, setListError] = useState<string | undefined>();
	const [index, setIndex] = useState(0);
	const [generation, setGeneration] = useState(0);
	const [following, setFollowing] = useState(false);
	const [wrap, setWrap] = useState(false);
	const [typed, setTyped] = useState('');
	const [only, setOnly] = useState(true);
	const [level, setLevel] = useState<LevelFilter | undefined>();
	const [prompt, setPrompt] = useState(false);
	/** N searching the pages above for a match (Esc stops it) */
	const [seeking, setSeeking] = useState(false);
	const seek = useRef<{stopped: boolean} | undefined>(undefined);

	useEffect(() => {
		if (!isVisible) return;
		let live = true;
		logSources(config).then(found => live && (setList(found), setListError(undefined)), error => live && setListError(errorMessage(error)));
		return () => {
			live = false;
		};
	}, [config, generation, isVisible]);

	const sources = list?.sources ?? [];
	const source = sources.length === 0 ? undefined : sources[Math.min(index, sources.length - 1)];
	const search = useMemo(() => (typed ? compileFilter(searchSpec(typed)) : undefined), [typed]);
	const spec: FilterSpec = {...(only && typed ? searchSpec(typed) : {}), ...(level ? {level} : {})};
	const filterKey = JSON.stringify(spec);
	const filter = useMemo(() => compileFilter(spec), [filterKey]); // eslint-disable-line react-hooks/exhaustive-deps
	const appRows = app.service ? 1 : 0;
	// a failed restart: its error and the app's last log lines, in up to half the tab
	const outcomeLines: Safe[] = app.outcome ? [app.outcome.error, sanitize(app.outcome.lines.length > 0 ? 'its last log lines (Esc closes):' : 'no log lines to show (Esc closes)'), ...app.outcome.lines.map(line => safe`  ${line}`)] : [];
	const outcomeRows = Math.min(outcomeLines.flatMap(line => wrapCells(line, width)).length, Math.max(1, Math.floor(height / 2)));
	const bodyHeight = Math.max(1, height - 1 - appRows - outcomeRows - (prompt ? 1 : 0));
	// a page up found the file truncated in place (copytruncate) or replaced: its end read again
	const onChanged = (how: 'truncated' | 'replaced') => {
		if (source) frame.flash(sanitize(`${source.name}: file ${how}: reloaded`), 'info');
		setGeneration(g => g + 1);
	};
	const view = useLogView({source, filter, filterKey, following, count: Math.max(50, bodyHeight * 2), generation, enabled: isVisible, onChanged});
	const resetKey = `${source?.name}\0${filterKey}\0${following}\0${generation}`;
	const pos = useLogScroll({buffer: view.buffer, width, height: bodyHeight, wrap, search, resetKey});

	// scrolled to the top of what was read (or the screen not full yet): the page above
	const {loadOlder} = view;
	const wantsOlder = isVisible && view.loading === undefined && pos.first === 0 && !view.buffer.atStart && !view.buffer.trimmed && (pos.held || pos.rows.length < bodyHeight);
	useEffect(() => {
		if (wantsOlder) void loadOlder();
	}, [wantsOlder, loadOlder, view.buffer.lines.length]);
	// N past the oldest line read: the pages above, until one has a match or the file's start (the
	// header says how far it got; Esc stops it; each page is awaited, so keys are read in between)
	const seekOlder = async () => {
		if (seek.current) return;
		const mine = {stopped: false};
		seek.current = mine;
		setSeeking(true);
		try {
			let searched = 0;
			for (;;) {
				// every line read stays in the view: a press reads so much at most (N goes on from there)
				if (searched >= seekBytesPerPress) return frame.flash(sanitize(`no match in the ${formatBytes(searched)} above (N searches further up)`), 'info');
				const page = await loadOlder(seekPageLines);
				if (mine.stopped) return;
				if (page === 'busy') {
					await new Promise(resolve => setTimeout(resolve, 20));
					continue;
				}
				// the source changed, read again, or nothing more (trimmed while following): not searched
				if (!page) return;
				for (const line of page.lines) searched += line.bytes + 1;
				const at = page.lines.findLastIndex(line => search !== undefined && search.ranges(line.text).length > 0);
				if (at !== -1) return pos.show(page.base + at);
				if (page.atStart) return frame.flash('no older match', 'info');
			}
		} finally {
			// (unless another search began after this one was stopped)
			if (seek.current === mine || seek.current === undefined) {
				seek.current = undefined;
				setSeeking(false);
			}
		}
	};
	const stopSeek = () => {
		if (seek.current) seek.current.stopped = true;
		seek.current = undefined;
		setSeeking(false);
		frame.flash('stopped searching older lines', 'info');
	};
	// a new source, filter or reading ends a search (its loop then says it is over)
	useEffect(() => {
		if (seek.current) seek.current.stopped = true;
	}, [resetKey]);
	const {event} = view;
	useEffect(() => {
		if (event && source) frame.flash(sanitize(`${source.name}: ${followText(event)}`), event.kind === 'error' ? 'warning' : 'info');
	}, [event]); // eslint-disable-line react-hooks/exhaustive-deps

	const keymap = logsKeymap({
		source: source !== undefined,
		many: sources.length > 1,
		following,
		held: following && pos.held,
		search: search !== undefined,
		app: app.service !== undefined,
		outcome: app.outcome !== undefined,
		seeking,
		stopSeek,
		pick: step => setIndex(i => (Math.min(i, sources.length - 1) + step + sources.length) % sources.length),
		follow: () => setFollowing(f => !f),
		pause: pos.toggleHold,
		filter: () => setPrompt(true),
		clearFilter: () => setTyped(''),
		toggleOnly: () => setOnly(o => !o),
		level: wanted => setLevel(l => (l === wanted ? undefined : wanted)),
		jump: step => {
			if (pos.jump(step)) return;
			if (step === 1 || view.buffer.atStart || view.buffer.trimmed) return frame.flash(step === 1 ? 'no newer match' : 'no older match', 'info');
			// N past the oldest line read: the pages above are read until one has a match
			void seekOlder();
		},
		wrap: () => setWrap(w => !w),
		scroll: pos.scroll,
		restart: app.restart,
		closeOutcome: app.closeOutcome,
		reload: () => setGeneration(g => g + 1),
	});

	if (!isVisible) return null;
	if (app.dialog) {
		return (
			<TabScreen keymap={keymap} width={width} height={height}>
				<ConfirmDialog title="Restart the app" lines={[`${app.dialog.plan}.`]} request={app.dialog.request} what="restart" width={width} height={height} isActive={isActive} onConfirm={app.confirm} onCancel={app.cancel} />
			</TabScreen>
		);
	}
	const submit = (value: string) => {
		try {
			if (value) compileFilter(searchSpec(value));
			setTyped(value);
			setPrompt(false);
		} catch (error) {
			if (!(error instanceof FilterError)) throw error;
			frame.flash(sanitize(error.message.replace('--grep', 'the filter')), 'error');
		}
	};
	const head: Safe = listError ? sanitize(`cannot list the log sources: ${listError}`) : sourceLine({source, index, count: sources.length, view, pos, following, typed, only, level, wrap, seeking});
	return (
		<TabScreen keymap={keymap} width={width} height={height}>
			{app.service ? <AppLine status={app.status} error={app.error} restarting={app.running} width={width} /> : null}
			<SafeText color={view.error || listError ? 'red' : 'cyan'} wrap="truncate">{fit(head, width)}</SafeText>
			{app.outcome ? <Note lines={outcomeLines} width={width} height={outcomeRows} color="red" /> : null}
			{prompt ? <TextField label="filter (text, or /regex/):" initial={typed} submitLabel="filter" isActive={isActive} width={width} onSubmit={submit} onCancel={() => setPrompt(false)} /> : null}
			{list && !source
				? <Note lines={noSourcesLines(list.unmatched)} width={width} height={bodyHeight} color="yellow" />
				: view.buffer.lines.length === 0
					? <Text dimColor wrap="truncate">{fit(view.loading ? 'reading…' : following ? 'waiting for lines…' : 'no lines', width)}</Text>
					: <LogRows rows={pos.rows} width={width} height={bodyHeight} />}
		</TabScreen>
	);
}

export const logsTab: TabDefinition = {id: 'logs', title: 'Logs', Component: LogsTab};
