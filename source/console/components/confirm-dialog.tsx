// The one dialog every destructive action goes through: it says exactly what will happen, runs only
// after the operator types the word shown and presses Enter, cancels on Esc and by itself after
// 30 s (with a visible countdown). While it is open it has the keyboard to itself (its text field).
// It confirms one entry of the mutation registry: the word comes from the entry (or from the caller:
// the pid a signal goes to), and every refusal (a wrong word, Esc, the timeout) is audited here,
// with a warning flashed when it cannot be.
import {Box, Text} from 'ink';
import {useEffect, useEffectEvent, useState} from 'react';
import {auditRefusal, mutationSpec, type MutationRequest} from '../../mutations/registry.js';
import {useBackends, useFrame} from '../context.js';
import {useTextField} from './text-field.js';
import {sanitize} from '../../text/sanitize.js';
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
	readonly onCancel: (reason: 'escape' | 'timeout') => void;
	readonly timeoutMs?: number;
	readonly width: number;
	readonly isActive?: boolean;
};

export function ConfirmDialog({title, lines, request, word: wordOverride, onConfirm, onCancel, timeoutMs = 30_000, width, isActive = true}: Props) {
	const {config} = useBackends();
	const {flash} = useFrame();
	const word = wordOverride ?? mutationSpec(request.action).word;
	const refuse = (reason: string) => auditRefusal(config, request, reason, text => flash(text, 'warning'));
	const [wrong, setWrong] = useState(false);
	// answered (confirmed, cancelled, timed out): nothing more happens, whatever comes before it closes
	const [done, setDone] = useState(false);
	const [left, setLeft] = useState(Math.ceil(timeoutMs / 1000));
	const typed = useTextField({
		max: 64,
		submitLabel: 'confirm',
		isActive,
		onChange: () => setWrong(false),
		onCancel: () => {
			if (done) return;
			setDone(true);
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

	const inner = Math.max(10, width - 4);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} width={Math.min(width, 100)}>
			<SafeText bold color="red" wrap="truncate">{sanitize(title)}</SafeText>
			{lines.map((line, i) => (
				<SafeText key={i} wrap="wrap">{sanitize(sanitize(line).slice(0, inner * 3))}</SafeText>
			))}
			<Text wrap="truncate">
				Type <Text bold color="yellow">{word}</Text> and press Enter: <SafeText bold>{sanitize(typed)}</SafeText>
				<Text inverse> </Text>
			</Text>
			{wrong ? <Text color="red" wrap="truncate">{`That is not "${word}". Nothing was done.`}</Text> : null}
			<Text dimColor wrap="truncate">{`Esc cancels · cancels by itself in ${left}s`}</Text>
		</Box>
	);
}
