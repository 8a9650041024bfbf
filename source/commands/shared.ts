// What every one-shot command shares: output (always masked, JSON with --json), errors that map to
// exit codes, and the y/N question a destructive command asks on a terminal.
import type {Backends} from '../backends/index.js';
import type {Config} from '../config/config.js';
import type {Flags} from '../cli/flags.js';
import {auditRefusal, type MutationRequest} from '../mutations/registry.js';
import {errorCode} from '../text/fs-reason.js';
import {errorMessage} from '../text/mask.js';
import {netErrorSentence} from '../text/net-reason.js';
import {outLine, writeError, writeJson, writeLine} from '../text/out.js';

export type CommandContext = {
	/** the words after the command name */
	readonly args: readonly string[];
	readonly flags: Flags;
	readonly config: Config;
	/** created, not started: a command starts (and waits for) what it uses */
	readonly backends: Backends;
	readonly stdin: NodeJS.ReadStream;
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
};

/** Bad usage or a refusal: printed as one line, exit 2. */
export class UsageError extends Error {}

/** The operation failed: printed as one line, exit 1. */
export class CommandError extends Error {}

export const exitCodes = {done: 0, failed: 1, usage: 2} as const;

/** "127.0.0.1:6379" from a backend's URL (never its credentials). */
export function backendAddress(url: string, defaultPort: number): string {
	try {
		const parsed = new URL(url);
		return `${parsed.hostname || 'localhost'}:${parsed.port || defaultPort}`;
	} catch {
		return 'an address that is not a URL';
	}
}

// the words of a connection that failed under a command: the pipes' and ioredis' (Redis), pg's
// ConnectionLostError and its stall ("no answer within N ms", backends/postgres.ts)
const connectionWords = /^(connection lost|no answer( to \w+)? within|Connection is closed|Stream isn't writeable|closed$)/i;

/**
 * A failure of the connection a command was using (reset, lost, no answer), as one line naming the
 * backend and where it is: "redis 127.0.0.1:6379: the connection was reset" rather than the bare
 * reason, which does not say which of the servers went away. undefined for any other error.
 */
export function connectionFailure(backend: 'redis' | 'postgres', address: string, error: unknown): CommandError | undefined {
	if (!(error instanceof Error) || error instanceof UsageError || error instanceof CommandError) return undefined;
	const lost = error.name === 'ConnectionLostError' ? (error as Error & {reason?: string}).reason : undefined;
	const net = /^E[A-Z]+$/.test(errorCode(error)) ? netErrorSentence(error) : undefined;
	if (lost === undefined && net === undefined && !connectionWords.test(error.message)) return undefined;
	const reason = lost ?? net ?? errorMessage(error);
	return new CommandError(reason.includes(address) ? `${backend}: ${reason}` : `${backend} ${address}: ${reason}`);
}

// print, printJson and warn go through the one writer (text/out.ts): masked and sanitized there,
// whatever the caller did or forgot (issue 14, case 1)
export function print(ctx: Pick<CommandContext, 'stdout'>, text: string): void {
	writeLine(ctx.stdout, text);
}

export function printJson(ctx: Pick<CommandContext, 'stdout'>, value: unknown, pretty = true): void {
	writeJson(ctx.stdout, value, pretty ? 2 : undefined);
}

export function warn(ctx: Pick<CommandContext, 'stderr'>, text: string): void {
	writeError(ctx.stderr, text);
}

/** A whole number flag within bounds, or a UsageError naming the flag. */
export function intFlag(value: string | undefined, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
	if (value === undefined) return fallback;
	if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
		throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
	}
	return Number(value);
}

/** how long the terminal must stay quiet before the question is asked (and the most time the drain takes) */
const typedAheadQuietMs = 60;
const typedAheadMaxMs = 500;

/**
 * What tcflush(TCIFLUSH) does, which Node cannot call: every byte typed before the question is read
 * (in raw mode, so a half-typed line counts too) and dropped, until the terminal has been quiet for
 * a moment. Only what is typed after the question is shown can answer it.
 */
export async function discardTypedAhead(stdin: NodeJS.ReadStream): Promise<void> {
	if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return;
	const wasRaw = stdin.isRaw;
	stdin.setRawMode(true);
	// what Node itself already read and holds
	while (stdin.read() !== null);
	await new Promise<void>(resolve => {
		const finish = () => {
			clearTimeout(quiet);
			clearTimeout(limit);
			stdin.off('data', onData);
			stdin.pause();
			resolve();
		};
		let quiet = setTimeout(finish, typedAheadQuietMs);
		const limit = setTimeout(finish, typedAheadMaxMs);
		const onData = () => {
			clearTimeout(quiet);
			quiet = setTimeout(finish, typedAheadQuietMs);
		};
		stdin.on('data', onData);
		stdin.resume();
	});
	stdin.setRawMode(wasRaw);
}

/**
 * A destructive command's confirmation, for one entry of the mutation registry: --yes goes ahead;
 * on a terminal it asks y/N; without a terminal it refuses (UsageError, exit 2) and nothing is
 * done. A refusal is audited (a warning on stderr when the audit log cannot be written).
 */
export async function confirm(ctx: CommandContext, request: MutationRequest, question: string): Promise<void> {
	if (ctx.flags.yes) return;
	if (!ctx.stdin.isTTY || !ctx.stdout.isTTY) {
		auditRefusal(ctx.config, request, 'no --yes and no terminal to ask on');
		throw new UsageError(`refused: ${question.replace(/\?$/, '')} needs --yes when there is no terminal to ask on`);
	}
	// `opsdeck flush⏎y⏎` typed quickly: the y was there before the question; it is not the answer
	await discardTypedAhead(ctx.stdin);
	// node:readline loaded when a question is asked, not by every command (P9)
	const rl = process.getBuiltinModule('node:readline').createInterface({input: ctx.stdin, output: ctx.stdout});
	// undefined: no answer came (Ctrl-C, Ctrl-D), and the cursor still sits after "[y/N] "
	const answer = await new Promise<string | undefined>(resolve => {
		rl.question(`${outLine(question)} [y/N] `, resolve);
		rl.once('SIGINT', () => resolve(undefined));
		rl.once('close', () => resolve(undefined));
	});
	rl.close();
	if (answer === undefined || !/^y(es)?$/i.test(answer.trim())) {
		// "cancelled" on a line of its own, not glued to the question (issue 16, point 6)
		if (answer === undefined) ctx.stdout.write('\n');
		auditRefusal(ctx.config, request, answer === undefined ? 'not confirmed (no answer: Ctrl-C or end of input)' : 'not confirmed (answered no)');
		throw new UsageError('cancelled: nothing was done');
	}
}
