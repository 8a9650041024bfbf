// OSC 52: the sequence (plain, and tmux's passthrough form beside it), the cap on a character
// boundary, passwords masked; and copyToClipboard, what the console's `y` runs: nothing written
// without CLIPBOARD=osc52, a flash that never carries a raw control.
import {describe, expect, it} from 'vitest';
import {cutToBytes, osc52, prepareCopy} from '../../source/clipboard/osc52.js';
import {copyToClipboard} from '../../source/console/clipboard.js';
import {loadConfig} from '../../source/config/config.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('the sequence', () => {
	it('is OSC 52 on the clipboard, base64, ended by BEL', () => {
		expect(osc52('chat:AB:messages')).toBe(`\u001b]52;c;${b64('chat:AB:messages')}\u0007`);
	});

	it('in tmux: the plain one (set-clipboard on) then the DCS passthrough one, its ESCs doubled', () => {
		const plain = `\u001b]52;c;${b64('k')}\u0007`;
		expect(osc52('k', {tmux: true})).toBe(`${plain}\u001bPtmux;\u001b\u001b]52;c;${b64('k')}\u0007\u001b\\`);
	});

	it('carries a hostile text only as base64: no raw control gets through', () => {
		const sequence = osc52('evil\u001b]0;pwned\u0007\n\u001b[2J');
		const payload = sequence.slice('\u001b]52;c;'.length, -1);
		expect(payload).toMatch(/^[A-Za-z0-9+/=]+$/);
		expect(Buffer.from(payload, 'base64').toString('utf8')).toBe('evil\u001b]0;pwned\u0007\n\u001b[2J');
	});
});

describe('what is copied', () => {
	it('is cut to the cap on a character boundary, and says so', () => {
		expect(cutToBytes('aé', 2)).toBe('a');
		const copy = prepareCopy('é'.repeat(100), 51);
		expect(copy).toMatchObject({bytes: 50, fullBytes: 200, cut: true, masked: false});
		expect(copy.text).toBe('é'.repeat(25));
	});

	it('never holds a password', () => {
		const copy = prepareCopy('psql postgres://app:hunter2secret@db/app', 1000);
		expect(copy).toMatchObject({text: 'psql postgres://app:***@db/app', masked: true});
	});
});

describe('copyToClipboard', () => {
	const on = {clipboard: 'osc52' as const, clipboardMaxBytes: 64 * 1024};

	it('without CLIPBOARD=osc52 writes nothing and says how to turn it on', () => {
		const written: string[] = [];
		const outcome = copyToClipboard('chat:AB:messages', 'key', {settings: {clipboard: undefined, clipboardMaxBytes: 100}, tmux: false, write: data => written.push(data)});
		expect(written).toEqual([]);
		expect(outcome).toMatchObject({written: false, tone: 'warning'});
		expect(outcome.message).toContain('set CLIPBOARD=osc52');
	});

	it('copies and says what, sanitized: a hostile key never reaches the flash raw', () => {
		const written: string[] = [];
		const key = 'evil\u001b]0;pwned\u0007\nline2';
		const outcome = copyToClipboard(key, 'key', {settings: on, tmux: false, write: data => written.push(data)});
		expect(written).toEqual([osc52(key)]);
		expect(outcome.message).toBe('copied key evil\\x1b]0;pwned\\x07\\x0aline2 (20 B)');
		expect(outcome.message).not.toMatch(/[\u0000-\u001f\u007f]/);
	});

	it('says when it cut and when it masked', () => {
		const outcome = copyToClipboard(`redis://u:pa55word99@h/0 ${'x'.repeat(5000)}`, 'value', {settings: {clipboard: 'osc52', clipboardMaxBytes: 1024}, tmux: true, write: () => undefined});
		expect(outcome.tone).toBe('warning');
		expect(outcome.message).toMatch(/cut to 1(\.0)? KB of 4\.9 KB \(CLIPBOARD_MAX_BYTES\); password masked$/);
	});

	it('a terminal that cannot be written: an error, not a crash', () => {
		const outcome = copyToClipboard('k', 'key', {settings: on, tmux: false, write: () => {
			throw Object.assign(new Error('write EPIPE'), {code: 'EPIPE'});
		}});
		expect(outcome).toMatchObject({tone: 'error', written: false});
	});
});

describe('settings', () => {
	const load = (env: Record<string, string>) => loadConfig({env: {HOME: '/nonexistent', ...env}, cwd: '/tmp'});
	it('CLIPBOARD is off by default; osc52 turns it on; anything else is refused', () => {
		expect(load({}).clipboard).toBeUndefined();
		expect(load({CLIPBOARD: 'OSC52'}).clipboard).toBe('osc52');
		expect(load({CLIPBOARD: 'off'}).clipboard).toBeUndefined();
		expect(() => load({CLIPBOARD: 'xclip'})).toThrow('CLIPBOARD must be osc52 or off (got "xclip")');
	});

	it('CLIPBOARD_MAX_BYTES: 64 KiB by default, 1 byte to 1 MiB', () => {
		expect(load({}).clipboardMaxBytes).toBe(65_536);
		expect(load({CLIPBOARD_MAX_BYTES: '1000'}).clipboardMaxBytes).toBe(1000);
		expect(() => load({CLIPBOARD_MAX_BYTES: '0'})).toThrow(/CLIPBOARD_MAX_BYTES must be a whole number of bytes from 1 to 1048576/);
		expect(() => load({CLIPBOARD_MAX_BYTES: '64k'})).toThrow(/CLIPBOARD_MAX_BYTES/);
	});

	it('EXPORT_DIR: the working folder by default, made absolute', () => {
		expect(load({}).exportDir).toBe('/tmp');
		expect(load({EXPORT_DIR: 'exports'}).exportDir).toBe('/tmp/exports');
	});
});
