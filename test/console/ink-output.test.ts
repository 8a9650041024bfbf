// scripts/ink-fast/output.js replaces Ink's Output in the bundle (frames cached row by row across
// renders). Whatever it caches, every frame must be the string Ink's own Output gives for the same
// operations: the two are run side by side on random screens — colours, wide characters, clips,
// transformers, writes off the edges — and over successive frames where a little changes each time.
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import {describe, expect, it} from 'vitest';

type Transformer = (line: string, index: number) => string;
type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type OutputLike = {
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: Clip): void;
	unclip(): void;
	get(): {output: string; height: number};
};
type OutputCtor = new (options: {width: number; height: number}) => OutputLike;

const root = path.resolve(import.meta.dirname, '../..');
const load = async (file: string) => ((await import(pathToFileURL(path.join(root, file)).href)) as {default: OutputCtor}).default;
const InkOutput = await load('node_modules/ink/build/output.js');
const FastOutput = await load('scripts/ink-fast/output.js');
const {cachedChars, cacheCharLimit} = (await import(pathToFileURL(path.join(root, 'scripts/ink-fast/output.js')).href)) as {cachedChars: () => number; cacheCharLimit: number};

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1_664_525 + 1_013_904_223) >>> 0;
		return s / 2 ** 32;
	};
}

const words = ['opsdeck', 'Redis', 'up', '12:11:51', '漢字', '🙂', 'é', 'e\u0301', 'chat:ZCMLY634:messages', '▁▂▃▅▇', '', ' ', 'a\tb', '日本語テキスト'];
const colours = ['\u001b[31m', '\u001b[32m', '\u001b[1m', '\u001b[7m', '\u001b[38;5;208m', '\u001b[38;2;10;200;30m', '\u001b[4m'];
const resets = ['\u001b[39m', '\u001b[39m', '\u001b[22m', '\u001b[27m', '\u001b[39m', '\u001b[39m', '\u001b[24m'];
const transformers: Transformer[] = [
	line => `\u001b[1m${line}\u001b[22m`,
	(line, index) => (index % 2 === 0 ? `\u001b[33m${line}\u001b[39m` : line),
	line => line.toUpperCase(),
];

type Op = {kind: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {kind: 'clip'; clip: Clip} | {kind: 'unclip'};

function randomText(rand: () => number): string {
	const lines: string[] = [];
	const count = 1 + Math.floor(rand() * 3);
	for (let l = 0; l < count; l++) {
		let line = '';
		const parts = 1 + Math.floor(rand() * 4);
		for (let p = 0; p < parts; p++) {
			const word = words[Math.floor(rand() * words.length)]!;
			if (rand() < 0.4) {
				const c = Math.floor(rand() * colours.length);
				line += `${colours[c]}${word}${resets[c]}`;
			} else {
				line += word;
			}
			line += rand() < 0.5 ? ' ' : '';
		}
		lines.push(line);
	}
	return lines.join('\n');
}

function randomOps(rand: () => number, width: number, height: number): Op[] {
	const ops: Op[] = [];
	let open = 0;
	const n = 5 + Math.floor(rand() * 25);
	for (let i = 0; i < n; i++) {
		const r = rand();
		if (r < 0.12) {
			const clip: Clip = {};
			if (rand() < 0.7) {
				clip.x1 = Math.floor(rand() * width);
				clip.x2 = clip.x1 + Math.floor(rand() * width);
			}
			if (rand() < 0.7) {
				clip.y1 = Math.floor(rand() * height);
				clip.y2 = clip.y1 + Math.floor(rand() * height);
			}
			ops.push({kind: 'clip', clip});
			open++;
		} else if (r < 0.18 && open > 0) {
			ops.push({kind: 'unclip'});
			open--;
		} else {
			const ts = transformers.filter(() => rand() < 0.25);
			ops.push({kind: 'write', x: Math.floor(rand() * (width + 4)) - 2, y: Math.floor(rand() * (height + 4)) - 2, text: randomText(rand), transformers: ts});
		}
	}
	return ops;
}

function frame(Ctor: OutputCtor, width: number, height: number, ops: readonly Op[]) {
	const output = new Ctor({width, height});
	for (const op of ops) {
		if (op.kind === 'write') output.write(op.x, op.y, op.text, {transformers: op.transformers});
		else if (op.kind === 'clip') output.clip(op.clip);
		else output.unclip();
	}
	return output.get();
}

describe('the bundle\'s Output (scripts/ink-fast/output.js)', () => {
	it('gives Ink\'s frame for 400 random screens', () => {
		const rand = random(42);
		for (let i = 0; i < 400; i++) {
			const width = 1 + Math.floor(rand() * 60);
			const height = 1 + Math.floor(rand() * 12);
			const ops = randomOps(rand, width, height);
			expect(frame(FastOutput, width, height, ops), `screen ${i}`).toEqual(frame(InkOutput, width, height, ops));
		}
	});

	it('gives Ink\'s frame over successive frames where one write changes at a time (the cached rows)', () => {
		const rand = random(7);
		const width = 50;
		const height = 10;
		let ops = randomOps(rand, width, height);
		const frames = new Set<string>();
		for (let i = 0; i < 200; i++) {
			const expected = frame(InkOutput, width, height, ops);
			expect(frame(FastOutput, width, height, ops), `frame ${i}`).toEqual(expected);
			// the same operations again: served from the caches, still the same
			expect(frame(FastOutput, width, height, ops)).toEqual(expected);
			frames.add(expected.output);
			const at = Math.floor(rand() * ops.length);
			const op = ops[at]!;
			ops = ops.map((o, j) => (j === at && op.kind === 'write' ? {...op, text: randomText(rand)} : o));
		}
		// the frames really changed along the way (the comparison is not of one frame 200 times)
		expect(frames.size).toBeGreaterThan(50);
	});

	it('draws a frame with a changed clock differently, and the unchanged rows as before', () => {
		const ops = (clock: string): Op[] => [
			{kind: 'write', x: 0, y: 0, text: '\u001b[1mopsdeck\u001b[22m  1 Status  2 Keys', transformers: []},
			{kind: 'write', x: 40, y: 1, text: clock, transformers: []},
			{kind: 'write', x: 0, y: 2, text: 'Redis  \u001b[32mup\u001b[39m  1.6ms', transformers: []},
		];
		const before = frame(FastOutput, 50, 4, ops('12:11:51')).output.split('\n');
		const after = frame(FastOutput, 50, 4, ops('12:11:52')).output.split('\n');
		expect(after[1]).not.toBe(before[1]);
		expect(after[1]).toContain('12:11:52');
		expect([after[0], after[2], after[3]]).toEqual([before[0], before[2], before[3]]);
	});

	it('holds a few MB however many different lines it draws (a console under traffic, issue 16)', () => {
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		const screen = (tick: number): Op[] => Array.from({length: 28}, (_, y) => ({
			kind: 'write' as const,
			x: 0,
			y,
			text: `\u001b[32mchat:ROW${y}X${tick}:messages\u001b[39m  ${(tick * 7 + y) % 9999}  +${tick % 5}  ${tick % 13}.${y}/s  23h${tick % 60}m  \u001b[36m▁▂▃▄▅▆▇█▁▂▃▄\u001b[39m  counted every second`,
			transformers: [],
		}));
		gc();
		const before = process.memoryUsage().heapUsed;
		// 140 ticks of a 100x30 screen whose every line changes each tick: 3,920 different lines
		for (let tick = 0; tick < 140; tick++) frame(FastOutput, 100, 30, screen(tick));
		gc();
		const held = process.memoryUsage().heapUsed - before;
		expect(cachedChars()).toBeLessThanOrEqual(4 * cacheCharLimit);
		// Ink's own Output holds nothing across frames; the caches of 4,000 lines each held ~110 MB here
		expect(held / 2 ** 20).toBeLessThan(20);
	});
});
