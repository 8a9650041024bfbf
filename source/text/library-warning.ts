// A library's own console.warn, said the way an operator reads it (issue 16, point 7). cli.tsx
// routes console.warn here and then through the one writer (an `opsdeck: ` line, masked).

// ioredis (built/redis/event_handler.js) when the URL carries a password the server does not want
const noPassword: readonly [RegExp, string][] = [
	[/^\[WARN\] Redis server does not require a password, but a password was supplied\.?$/, 'Redis has no password set: the password in the Redis URL (REDIS_URL, --redis-url) is ignored'],
	[/^\[WARN\] This Redis server's `default` user does not require a password, but a password was supplied\.?$/, 'Redis\'s default user has no password: the password in the Redis URL (REDIS_URL, --redis-url) is ignored'],
];

/** One console.warn call as a line: "[WARN] x" becomes "warning: x", ioredis's known ones a sentence. */
export function libraryWarning(text: string): string {
	for (const [pattern, sentence] of noPassword) if (pattern.test(text.trim())) return `warning: ${sentence}`;
	return text.replace(/^\[WARN\]\s*/, 'warning: ');
}
