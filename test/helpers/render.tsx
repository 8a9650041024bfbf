// Ink components under ink-testing-library: write keys, wait for the frame to settle, read the
// frame without ANSI codes. Call cleanup() after each test (done here with afterEach).
import {render as inkRender, cleanup} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {afterEach} from 'vitest';

afterEach(() => {
	cleanup();
});

const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
	return text.replace(ansi, '');
}

export const keys = {
	up: '\u001b[A',
	down: '\u001b[B',
	right: '\u001b[C',
	left: '\u001b[D',
	pageUp: '\u001b[5~',
	pageDown: '\u001b[6~',
	enter: '\r',
	escape: '\u001b',
	tab: '\t',
	shiftTab: '\u001b[Z',
	backspace: '\u007f',
	ctrlC: '\u0003',
	space: ' ',
} as const;

export const settle = (ms = 10) => new Promise(resolve => setTimeout(resolve, ms));

export type Rendered = ReturnType<typeof inkRender> & {
	/** the last frame, ANSI stripped */
	readonly screen: () => string;
	/** writes keys one by one (each followed by a settle) */
	readonly press: (...keys: string[]) => Promise<void>;
	/** types text (one write per character) */
	readonly type: (text: string) => Promise<void>;
	/** waits until the frame matches, or throws with the frame */
	readonly waitFor: (match: string | RegExp | ((screen: string) => boolean), timeoutMs?: number) => Promise<string>;
};

export function render(element: ReactElement): Rendered {
	const instance = inkRender(element);
	const screen = () => stripAnsi(instance.lastFrame() ?? '');
	const press = async (...sequence: string[]) => {
		for (const key of sequence) {
			instance.stdin.write(key);
			// Ink parses escape sequences on the next tick; give React a moment to commit.
			await settle(key === keys.escape ? 30 : 10);
		}
	};
	const type = async (text: string) => {
		for (const ch of text) await press(ch);
	};
	const waitFor = async (match: string | RegExp | ((s: string) => boolean), timeoutMs = 5000) => {
		const test = typeof match === 'function' ? match : (s: string) => (typeof match === 'string' ? s.includes(match) : match.test(s));
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const s = screen();
			if (test(s)) return s;
			if (Date.now() > deadline) throw new Error(`frame never matched ${String(match)}; last frame:\n${s}`);
			await settle(20);
		}
	};
	return Object.assign(instance, {screen, press, type, waitFor});
}
