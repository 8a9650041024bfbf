// The Keys tab's two destructive actions: delete a key (word "delete") and clear a chat's cache
// (word "clear"). Each opens the one ConfirmDialog saying exactly what goes, then runs through the
// mutation guard (cache/keys deleteKey, cache/collections clearChat). In read-only mode the op is
// called at once and refuses (and the refusal is audited): no dialog for something that cannot run.
import {useState, type ReactNode} from 'react';
import type {Backends} from '../../../backends/index.js';
import {chatKeys, clearChat, clearChatRequest} from '../../../cache/collections.js';
import {deleteKey, deleteKeyRequest, type KeyDetail} from '../../../cache/keys.js';
import {formatBytes, formatTtl} from '../../../text/format.js';
import {keyText} from '../../../backends/redis/key-bytes.js';
import {safeError} from '../../../text/out.js';
import {safe} from '../../../text/sanitize.js';
import {ConfirmDialog} from '../../components/confirm-dialog.js';
import {useFrame} from '../../context.js';

type Dialog =
	| {readonly kind: 'delete'; readonly key: string; readonly lines: readonly string[]}
	| {readonly kind: 'clear'; readonly chat: string; readonly keys: readonly string[]; readonly lines: readonly string[]};

export type KeyActions = {
	/** the dialog open now, if any */
	readonly dialog: Dialog | undefined;
	/** `detail`: what the list knows of it (type, size, TTL), for the dialog */
	readonly askDelete: (key: string, detail: KeyDetail | undefined) => Promise<void>;
	readonly askClear: (chat: string) => Promise<void>;
	readonly render: (width: number, height: number, isActive: boolean) => ReactNode;
};

export function useKeyActions(
	backends: Backends,
	on: {readonly onDeleted: (key: string) => void; readonly onCleared: (chat: string, keys: readonly string[]) => void},
): KeyActions {
	const frame = useFrame();
	const [dialog, setDialog] = useState<Dialog | undefined>();

	const askDelete = async (key: string, d: KeyDetail | undefined) => {
		if (backends.config.readOnly) {
			await deleteKey(backends.config, backends.redis, key).catch(error => frame.flash(safeError(error), 'error'));
			return;
		}
		setDialog({kind: 'delete', key, lines: [`DEL ${keyText(key)} on ${backends.redis.maskedUrl}`, d ? `${d.type}, ${formatBytes(d.bytes)}, ttl ${formatTtl(d.pttl)}` : '']});
	};

	const askClear = async (chat: string) => {
		if (backends.config.readOnly) {
			await clearChat(backends, chat, []).catch(error => frame.flash(safeError(error), 'error'));
			return;
		}
		try {
			const keys = await chatKeys(backends, chat);
			if (keys.length === 0) return frame.flash(safe`chat ${keyText(chat)} has no cache keys`, 'warning');
			const list = keys.slice(0, 3).map(k => `  ${keyText(k)}`);
			if (keys.length > 3) list.push(`  … and ${keys.length - 3} more`);
			setDialog({kind: 'clear', chat, keys, lines: [`DEL the ${keys.length} cache keys of chat ${keyText(chat)} on ${backends.redis.maskedUrl}:`, ...list]});
		} catch (error) {
			frame.flash(safeError(error), 'error');
		}
	};

	const confirm = async (d: Dialog) => {
		setDialog(undefined);
		try {
			if (d.kind === 'delete') {
				const removed = await deleteKey(backends.config, backends.redis, d.key);
				frame.flash(removed ? safe`deleted ${keyText(d.key)}` : safe`${keyText(d.key)} was already gone`, 'success');
				on.onDeleted(d.key);
			} else {
				const result = await clearChat(backends, d.chat, d.keys);
				frame.flash(safe`cleared chat ${keyText(d.chat)}: ${result.deleted} keys deleted`, 'success');
				on.onCleared(d.chat, d.keys);
			}
		} catch (error) {
			frame.flash(safeError(error), 'error');
		}
	};

	const render = (width: number, height: number, isActive: boolean) =>
		dialog ? (
			<ConfirmDialog
				title={dialog.kind === 'delete' ? 'Delete key' : 'Clear chat cache'}
				// a small pane scrolls to the list of keys (the line that says what goes comes first)
				lines={dialog.lines}
				request={dialog.kind === 'delete'
					? deleteKeyRequest(backends.redis, dialog.key)
					: clearChatRequest(backends.redis, dialog.chat, dialog.keys.length)}
				onConfirm={() => void confirm(dialog)}
				onCancel={() => setDialog(undefined)}
				width={width}
				height={height}
				isActive={isActive}
			/>
		) : null;

	return {dialog, askDelete, askClear, render};
}
