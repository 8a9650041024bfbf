// Issue 14, case 1: one writer masks and sanitizes everything a command prints, whatever the caller
// did: print, printJson and warn (commands/shared.ts) go through it.
import {describe, expect, it} from 'vitest';
import {print, printJson, warn} from '../../source/commands/shared.js';
import {registerSecret} from '../../source/text/mask.js';
import {outText, safeError, writeError} from '../../source/text/out.js';

function sink() {
	let text = '';
	const stream = {write: (chunk: string) => ((text += chunk), true)} as unknown as NodeJS.WriteStream;
	return {stream, text: () => text};
}

const hostile = 'boom \u001b]52;c;cm0gLXJmIH4=\u0007\u001b]0;pwned\u0007 \u009b31m abc\u202edef admin\u{e0041} x\u3164y';
const raw = /[\u001b\u0007\u009b\u202e\u3164]|\u{e0041}/u;

describe('the one writer', () => {
	it('print: a server text reaches stdout escaped, newlines kept', () => {
		const out = sink();
		print({stdout: out.stream}, `first\n${hostile}`);
		expect(out.text()).not.toMatch(raw);
		expect(out.text()).toBe('first\nboom \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b]0;pwned\\x07 \\u009b31m abc\\u202edef admin\\u{e0041} x\\u3164y\n');
	});

	it('warn and writeError: one line on stderr, a newline in the text escaped', () => {
		const err = sink();
		warn({stderr: err.stream}, `redis: ${hostile}\nsecond line`);
		expect(err.text()).not.toMatch(raw);
		expect(err.text().split('\n')).toHaveLength(2);
		expect(err.text()).toMatch(/^opsdeck: redis: boom \\x1b]52;.*\\x0asecond line\n$/);
		const direct = sink();
		writeError(direct.stream, hostile);
		expect(direct.text()).not.toMatch(raw);
	});

	it('printJson: same data, nothing a terminal acts on', () => {
		const out = sink();
		printJson({stdout: out.stream}, {error: hostile});
		expect(out.text()).not.toMatch(raw);
		expect(JSON.parse(out.text())).toEqual({error: hostile});
	});

	it('masks before it escapes: a registered password never shows, even next to escapes', () => {
		registerSecret('s3cr3t-pw');
		expect(outText('login failed for s3cr3t-pw\u001b[2J')).toBe('login failed for ***\\x1b[2J');
		expect(safeError(new Error(`ERR redis://u:s3cr3t-pw@h/0 ${hostile}`))).not.toMatch(raw);
		expect(safeError(new Error('ERR redis://u:s3cr3t-pw@h/0'))).not.toContain('s3cr3t-pw');
	});
});
