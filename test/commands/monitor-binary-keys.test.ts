// Defect 11: a key that is not UTF-8 showed as `\udcff\udcfe` in the Monitor (console rows,
// `monitor --plain`, `--json`) while Keys, `keys` and `inspect` show `\xff\xfe` (keyText), and
// monitor --json had no keyHex. The --plain lines and the --json object of one tick, and the
// sanitize the console's rows go through.
import {describe, expect, it} from 'vitest';
import {keyFromBytes} from '../../source/backends/redis/key-bytes.js';
import {plainLines, tickJson} from '../../source/commands/monitor.js';
import type {CounterTick, KeyCounter} from '../../source/monitor/counters.js';
import {sanitize} from '../../source/text/sanitize.js';

const binary = keyFromBytes(Buffer.from([...Buffer.from('bin:'), 0xff, 0xfe]));
const counter = (key: string): KeyCounter => ({key, type: 'list', count: 3, delta: 0, rate: 0, ttlMs: undefined, gone: false, appeared: false, wentAway: false}) as unknown as KeyCounter;
const tick = {at: Date.UTC(2026, 0, 1), first: true, watches: ['bin:*'], keys: [counter(binary), counter('plain:\\x')], totals: {keys: 2, count: 6, delta: 0, rate: 0}, truncated: false} as unknown as CounterTick;

describe('a key that is not UTF-8 in the Monitor', () => {
	it('--plain shows its bytes as \\xHH and a real backslash doubled, as opsdeck keys does', () => {
		const lines = plainLines(tick);
		expect(lines[0]).toContain('  bin:\\xff\\xfe  3  ');
		expect(lines[1]).toContain('  plain:\\\\x  3  ');
		expect(lines.join('\n')).not.toMatch(/\\udc/);
	});

	it('--json names it by keyText and its exact bytes (keyHex), like keys --json; a UTF-8 key as it is', () => {
		const json = tickJson(tick);
		expect(json.keys[0]).toMatchObject({key: 'bin:\\xff\\xfe', keyHex: Buffer.from('bin:\xff\xfe', 'latin1').toString('hex')});
		expect(json.keys[1]).toMatchObject({key: 'plain:\\x'});
		expect(json.keys[1]).not.toHaveProperty('keyHex');
	});

	it('the console rows (sanitize) show the byte as \\xHH, not \\udcff', () => {
		expect(sanitize(binary)).toBe('bin:\\xff\\xfe');
		// a lone surrogate outside the escape range is still a code point
		expect(sanitize('a\ud800b')).toBe('a\\ud800b');
	});
});
