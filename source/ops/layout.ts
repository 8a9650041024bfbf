// The app's cache layout (PRODUCT.md "Collections"): key templates with {chat} and {message}.
// Turns templates into keys, SCAN patterns, and keys back into their ids.

/** Characters that are special in a Redis glob pattern. */
export function escapeGlob(text: string): string {
	return text.replace(/[*?[\]\\]/g, ch => `\\${ch}`);
}

/** chat:{chat}:messages + {chat: 'ABC'} → chat:ABC:messages */
export function keyFor(template: string, ids: {readonly chat: string; readonly message?: string}): string {
	return template.replaceAll('{chat}', ids.chat).replaceAll('{message}', ids.message ?? '');
}

/** chat:{chat}:messages → chat:*:messages (ids given are escaped and filled in). */
export function patternFor(template: string, ids: {readonly chat?: string; readonly message?: string} = {}): string {
	const parts = template.split(/(\{chat\}|\{message\})/);
	return parts
		.map(part => {
			if (part === '{chat}') return ids.chat === undefined ? '*' : escapeGlob(ids.chat);
			if (part === '{message}') return ids.message === undefined ? '*' : escapeGlob(ids.message);
			return escapeGlob(part);
		})
		.join('');
}

/** chat:ABC:messages against chat:{chat}:messages → {chat: 'ABC'}; undefined when it does not fit. */
export function parseKey(template: string, key: string): {chat: string; message?: string} | undefined {
	const parts = template.split(/(\{chat\}|\{message\})/);
	const source = parts
		.map(part => {
			if (part === '{chat}') return '(?<chat>[^:]+?)';
			if (part === '{message}') return '(?<message>.+?)';
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('');
	const match = new RegExp(`^${source}$`, 's').exec(key);
	if (!match?.groups) return undefined;
	const {chat, message} = match.groups;
	return message === undefined ? {chat: chat!} : {chat: chat!, message};
}
