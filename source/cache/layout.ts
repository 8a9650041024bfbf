// The app's cache layout (PRODUCT.md "Collections"): key templates with {chat} and {message}.
// Turns templates into keys, SCAN patterns, and keys back into their ids.

/** Characters that are special in a Redis glob pattern. */
export function escapeGlob(text: string): string {
	return text.replace(/[*?[\]\\]/g, ch => `\\${ch}`);
}

/** The template's literal parts and its placeholders, in order (the placeholders kept as items). */
const placeholders = /(\{chat\}|\{message\})/;

/**
 * chat:{chat}:messages + {chat: 'ABC'} → chat:ABC:messages. Each placeholder of the template is
 * filled once, with the id as it is: an id is data, never a template (a chat code "{message}" used
 * to be expanded again, so `chat show '{message}' --clear` deleted chat::messages).
 */
export function keyFor(template: string, ids: {readonly chat: string; readonly message?: string}): string {
	return template
		.split(placeholders)
		.map(part => (part === '{chat}' ? ids.chat : part === '{message}' ? (ids.message ?? '') : part))
		.join('');
}

/**
 * The literal text before and after {message} once {chat} is filled in (for reading a message id
 * back out of a reaction key); undefined when the template has no {message}.
 */
export function messageAffixes(template: string, chat: string): {readonly before: string; readonly after: string} | undefined {
	const at = template.indexOf('{message}');
	if (at < 0) return undefined;
	return {before: keyFor(template.slice(0, at), {chat}), after: keyFor(template.slice(at + '{message}'.length), {chat})};
}

/** chat:{chat}:messages → chat:*:messages (ids given are escaped and filled in). */
export function patternFor(template: string, ids: {readonly chat?: string; readonly message?: string} = {}): string {
	const parts = template.split(placeholders);
	return parts
		.map(part => {
			if (part === '{chat}') return ids.chat === undefined ? '*' : escapeGlob(ids.chat);
			if (part === '{message}') return ids.message === undefined ? '*' : escapeGlob(ids.message);
			return escapeGlob(part);
		})
		.join('');
}

/**
 * The regex that reads a key back into its ids: chat:{chat}:messages → /^chat:(?<chat>[^:]+?):messages$/s.
 * The one place a template becomes a RegExp; compile once and reuse it (a million keys are
 * classified in a scan).
 */
export function templateRegex(template: string): RegExp {
	const source = template
		.split(placeholders)
		.map(part => {
			if (part === '{chat}') return '(?<chat>[^:]+?)';
			if (part === '{message}') return '(?<message>.+?)';
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('');
	return new RegExp(`^${source}$`, 's');
}
