// The app's cached message JSON, read tolerantly: snake_case or camelCase, badges optional, and a
// member that is not JSON at all is kept as raw text rather than dropped.
import {scoreAsDate} from './values.js';

export type CachedMessage = {
	readonly id: string | undefined;
	readonly chat: string | undefined;
	readonly username: string | undefined;
	readonly content: string | undefined;
	/** ISO time from the JSON, else from the score */
	readonly createdAt: string | undefined;
	readonly badges: readonly string[];
	/** the sorted-set score (created-at ms, or pinned-until ms for pinned) */
	readonly score: number;
	/** the member as stored, when it did not parse */
	readonly raw?: string;
};

function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return undefined;
}

export function parseMessage(member: string, score: number): CachedMessage {
	let data: Record<string, unknown> | undefined;
	try {
		const parsed: unknown = JSON.parse(member);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
	} catch {
		data = undefined;
	}
	const fromScore = scoreAsDate(score)?.replace(' ', 'T');
	if (!data) return {id: undefined, chat: undefined, username: undefined, content: undefined, createdAt: fromScore, badges: [], score, raw: member};
	const created = text(data.created_at ?? data.createdAt ?? data.timestamp);
	const badges = Array.isArray(data.badges) ? data.badges.map(b => text(b) ?? JSON.stringify(b)) : [];
	return {
		id: text(data.id ?? data.message_id ?? data.messageId),
		chat: text(data.chat_code ?? data.chatCode ?? data.chat),
		username: text(data.username ?? data.user ?? data.author),
		content: text(data.content ?? data.text ?? data.body),
		createdAt: created ?? fromScore,
		badges,
		score,
	};
}

/** ZRANGE ... WITHSCORES flat reply → messages */
export function parseFlat(flat: readonly string[]): CachedMessage[] {
	const out: CachedMessage[] = [];
	for (let i = 0; i + 1 < flat.length; i += 2) out.push(parseMessage(flat[i]!, Number(flat[i + 1])));
	return out;
}
