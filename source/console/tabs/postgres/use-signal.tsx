// `c` cancel and `k` terminate: the one ConfirmDialog, whose word is the session's pid (the operator
// reads which session it is), then signalSession through the mutation guard. Read-only mode calls
// the op at once, which refuses and audits; a cancel that could do nothing (no query running) is
// refused before anything is asked, and audited, as `opsdeck pg cancel` does.
import {useState, type ReactNode} from 'react';
import type {Backends} from '../../../backends/index.js';
import {auditRefusal, MutationRefusedError} from '../../../mutations/registry.js';
import type {Session} from '../../../postgres/sessions.js';
import {signalProblem, signalQuestion, signalRequest, signalSession, signalWord, type SignalKind} from '../../../postgres/signal.js';
import {errorMessage} from '../../../text/mask.js';
import {safeError} from '../../../text/out.js';
import {safe, sanitize} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {useFrame} from '../../context.js';
import {wrapText} from './query-view.js';

type Dialog = {readonly kind: SignalKind; readonly session: Session};

// what happens, plainly: first when there is room for one line only (a 40x10 pane)
const what: Record<SignalKind, string> = {
	cancel: 'Stops its running query (the app gets "canceling statement due to user request"); the session stays open.',
	terminate: 'Closes the whole session, not only its query: its connection is dropped and the client must reconnect.',
};

/** What the dialog says, wrapped to its inner width and cut to the rows it has (the most important first). */
export function dialogLines(kind: SignalKind, session: Session, inner: number, room: number): string[] {
	const lines = room <= 2 ? [what[kind], signalQuestion(kind, session)] : [signalQuestion(kind, session), what[kind]];
	const rows: string[] = lines.flatMap(line => wrapText(line, inner));
	if (rows.length <= room) return rows;
	const kept = rows.slice(0, Math.max(1, room));
	kept[kept.length - 1] = `${Array.from(kept.at(-1)!).slice(0, Math.max(0, inner - 1)).join('')}…`;
	return kept;
}

export function useSignal(backends: Backends, onDone: () => void) {
	const {config, postgres} = backends;
	const frame = useFrame();
	const [dialog, setDialog] = useState<Dialog | undefined>();

	const ask = (kind: SignalKind, session: Session) => {
		if (config.readOnly) {
			// refused (and audited) by the mutation guard before anything is asked
			void signalSession(config, postgres, kind, session).catch((error: unknown) => frame.flash(safeError(error), 'warning'));
			return;
		}
		const problem = signalProblem(kind, session);
		if (problem) {
			frame.flash(sanitize(`${problem}; nothing was done`), 'warning');
			auditRefusal(config, signalRequest(kind, session.pid, session), problem, text => frame.flash(text, 'warning'));
			return;
		}
		setDialog({kind, session});
	};

	const confirm = async ({kind, session}: Dialog) => {
		setDialog(undefined);
		const pid = session.pid;
		try {
			await signalSession(config, postgres, kind, session);
			frame.flash(kind === 'cancel' ? safe`cancelled the query of pid ${pid}; the session stays open` : safe`terminated pid ${pid}: the session is closed and its open transaction rolled back`, 'success');
		} catch (error) {
			// 42501 insufficient_privilege
			const grant = (error as {code?: string}).code === '42501' ? ` (${kind} needs pg_signal_backend, membership in the session's role, or superuser)` : '';
			if (error instanceof MutationRefusedError) frame.flash(safeError(error), 'warning');
			else frame.flash(sanitize(`${kind} of pid ${pid} failed: ${errorMessage(error)}${grant}`), 'error');
		}
		onDone();
	};

	const render = (width: number, height: number, isActive: boolean): ReactNode => {
		if (!dialog) return null;
		const {kind, session} = dialog;
		// borders, the title, the word line, its error line and the countdown take six rows
		const inner = Math.max(10, Math.min(width, 100) - 4);
		return (
			<ConfirmDialog
				title={kind === 'cancel' ? `Cancel the query of pid ${session.pid}?` : `Terminate pid ${session.pid}, the whole session?`}
				lines={dialogLines(kind, session, inner, Math.max(1, height - 6))}
				request={signalRequest(kind, session.pid, session)}
				word={signalWord(session.pid)}
				onConfirm={() => void confirm(dialog)}
				onCancel={() => setDialog(undefined)}
				width={width}
				height={height}
				isActive={isActive}
			/>
		);
	};

	return {dialog, ask, render};
}
