// The one dialog every destructive action goes through: it says exactly what will happen, runs only
// after the operator types the word shown and presses Enter, cancels on Esc and by itself after
// 30 s (with a visible countdown). While it is open it has the keyboard to itself (its text field).
// It confirms one entry of the mutation registry: the word comes from the caller (the pid a signal
// goes to), the request (a client kill: the client's id) or its entry, and every refusal (a wrong
// word, Esc, the timeout) is audited here, with a warning flashed when it cannot be.
// What it says is wrapped, never cut; when that is taller than the room the dialog has, it scrolls
// (↑ ↓ PgUp PgDn: letters type the word), and a small pane loses the top and bottom border.
import {Box, Text} from 'ink';
import {useEffect, useEffectEvent, useState} from 'react';
import {auditRefusal, confirmationWord, type MutationRequest} from '../../mutations/registry.js';
import {useBackends, useFrame} from '../context.js';
import {tail, useTextField} from './text-field.js';
import {fit, fitMiddle, wrapCells} from '../../text/format.js';
import {sanitize, type Safe} from '../../text/sanitize.js';
import {useScroll} from '../hooks/use-scroll.js';
import {useDropTypeahead} from '../input/keyboard.js';
import {ScrollLines} from './scroll-lines.js';
import {SafeText} from './safe-text.js';

type Props = {
	readonly title: string;
	/** what will happen, one line each (untrusted parts are sanitized here) */
	readonly lines: readonly string[];
	/** what it confirms (the registry entry and its target): the word to type, and what a refusal audits */
	readonly request: MutationRequest;
	/** the word to type instead of the entry's own (a pid: the operator reads which session it is) */
	readonly word?: string;
	readonly onConfirm: () => void;
	/** closes it; the dialog has said `cancelled: nothing was done` (or the timeout) in the bottom bar */
	readonly onCancel: (reason: CancelReason) => void;
	/** what the cancel line names: `flush` → `flush cancelled: …` */
	readonly what?: string;
	readonly timeoutMs?: number;
	readonly width: number;
	/** the rows it may take (the tab's body); without it, as tall as what it says */
	readonly height?: number;
	readonly isActive?: boolean;
};

export type CancelReason = 'escape' | 'timeout';

/** The one line every dialog's cancel flashes: `flush cancelled: nothing was done`. */
function cancelledText(reason: CancelReason, what = '', timeoutMs = 30_000): Safe {
	const head = what ? `${what} cancelled` : 'cancelled';
	// the console's own words (`what` is a literal of the caller's)
	return (reason === 'timeout' ? `${head}: not confirmed within ${Math.round(timeoutMs / 1000)} s (nothing was done)` : `${head}: nothing was done`) as Safe;
}

export function ConfirmDialog({title, lines, request, word: wordOverride, onConfirm, onCancel, what, timeoutMs = 30_000, width, height, isActive = true}: Props) {
	const {config} = useBackends();
	const {flash} = useFrame();
	const word = wordOverride ?? confirmationWord(request);
	const refuse = (reason: string) => auditRefusal(config, request, reason, text => flash(text, 'warning'));
	const [wrong, setWrong] = useState(false);
	// answered (confirmed, cancelled, timed out): nothing more happens, whatever comes before it closes
	const [done, setDone] = useState(false);
	const [left, setLeft] = useState(Math.ceil(timeoutMs / 1000));
	// keys typed ahead of it (a paste after a prompt's Enter) never reach its field (a count: the console's own words)
	useDropTypeahead(count => flash(`${count} ${count === 1 ? 'key' : 'keys'} typed ahead ${count === 1 ? 'was' : 'were'} dropped` as Safe, 'warning'));
	const boxWidth = Math.min(width, 100);
	// a pane under 12 rows keeps only the left border: two more rows for what the dialog says
	const compact = height !== undefined && height < 12;
	const inner = Math.max(10, boxWidth - (compact ? 3 : 4));
	const body = lines.flatMap(line => wrapCells(sanitize(line), inner));
	// the border, the title, the word line, the countdown and the "that is not" line when shown
	const room = height === undefined ? body.length : Math.max(1, height - (compact ? 0 : 2) - 3 - (wrong ? 1 : 0));
	const scroll = useScroll(body.length, room, title, {typing: true});
	const typed = useTextField({
		keys: scroll.keys,
		max: 64,
		// a paste is type-ahead by another road (a clipboard that held the word, a paste into the wrong
		// pane): the word is typed by hand once the dialog is on screen, never pasted
		pasteRefused: 'type the word',
		submitLabel: 'confirm',
		isActive,
		onChange: () => setWrong(false),
		onCancel: () => {
			if (done) return;
			setDone(true);
			flash(cancelledText('escape', what, timeoutMs), 'info');
			onCancel('escape');
			refuse('cancelled (Esc)');
		},
		onSubmit: value => {
			if (done) return;
			if (value === word) {
				setDone(true);
				onConfirm();
				return;
			}
			setWrong(true);
			// what was typed is not logged: it could be anything, a pasted password included
			refuse(`wrong confirmation word typed (not "${word}")`);
		},
	});

	const timedOut = useEffectEvent(() => {
		if (done) return;
		setDone(true);
		flash(cancelledText('timeout', what, timeoutMs), 'info');
		onCancel('timeout');
		// after the caller's own message, so a warning that it is not on record stays in view
		refuse(`not confirmed within ${Math.round(timeoutMs / 1000)} s`);
	});
	useEffect(() => {
		const deadline = Date.now() + timeoutMs;
		let timer: NodeJS.Timeout;
		const tick = () => {
			const remaining = deadline - Date.now();
			if (remaining <= 0) return timedOut();
			setLeft(Math.ceil(remaining / 1000));
			timer = setTimeout(tick, Math.min(1000, remaining));
		};
		timer = setTimeout(tick, Math.min(1000, timeoutMs));
		return () => clearTimeout(timer);
	}, [timeoutMs]);

	const prompt = `Type ${word} and press Enter: `;
	// keyed on `compact`: Ink 6.8 sets a border edge only when it is on (styles.js applyBorderStyles),
	// so a box that drops its top, bottom and right border on a resize to a small pane kept their
	// room in the layout and lost lines, its `lines 1-N of M` and its last rows (hostile defect 2);
	// a new box lays out as one opened at this size. The dialog's state is above it and stays.
	return (
		<Box key={compact ? 'compact' : 'full'} flexDirection="column" borderStyle="round" borderColor="red" borderTop={!compact} borderBottom={!compact} borderRight={!compact} paddingX={1} width={boxWidth}>
			<SafeText bold color="red" wrap="truncate">{fitMiddle(sanitize(title), inner)}</SafeText>
			{body.length > room
				? <ScrollLines lines={body.map(text => ({text}))} top={scroll.top} width={inner} height={room} />
				: body.map((line, i) => <SafeText key={i} wrap="truncate">{line || sanitize(' ')}</SafeText>)}
			<Text wrap="truncate">
				Type <Text bold color="yellow">{word}</Text> and press Enter: <SafeText bold>{tail(sanitize(typed), Math.max(1, inner - prompt.length - 1))}</SafeText>
				<Text inverse> </Text>
			</Text>
			{wrong ? <Text color="red" wrap="truncate">{fit(inner < 40 ? `Not "${word}". Nothing was done.` : `That is not "${word}". Nothing was done.`, inner)}</Text> : null}
			<Text dimColor wrap="truncate">{fit(inner < 38 ? `Esc cancels · by itself in ${left}s` : `Esc cancels · cancels by itself in ${left}s`, inner)}</Text>
		</Box>
	);
}
