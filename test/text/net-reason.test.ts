// Defect 14: the console header, the cards, the Monitor and `opsdeck status` showed Node's own
// "connect ECONNREFUSED 127.0.0.1:6399". Every network errno we know is a sentence, in one place,
// and errorMessage (what every backend records as its last error) uses it.
import dns from 'node:dns/promises';
import net from 'node:net';
import {describe, expect, it} from 'vitest';
import {errorMessage} from '../../source/text/mask.js';
import {netErrorSentence} from '../../source/text/net-reason.js';
import {freePort} from '../helpers/ports.js';

const coded = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`connect ${code}`), {code, syscall: 'connect', ...extra});

describe('a network error as a sentence', () => {
	it.each([
		[coded('ECONNREFUSED', {address: '127.0.0.1', port: 6399}), 'nothing is listening at 127.0.0.1:6399 (connection refused)'],
		[coded('ECONNREFUSED', {address: '::1', port: 5432}), 'nothing is listening at [::1]:5432 (connection refused)'],
		[coded('ETIMEDOUT', {address: '10.0.0.9', port: 6379}), 'no answer from 10.0.0.9:6379 (timed out)'],
		[coded('EHOSTUNREACH', {address: '10.0.0.9', port: 6379}), 'no route to 10.0.0.9:6379 (host unreachable)'],
		[coded('ENOTFOUND', {hostname: 'db.internal'}), 'cannot resolve db.internal'],
		[coded('EAI_AGAIN', {hostname: 'db.internal'}), 'cannot resolve db.internal (the name server did not answer)'],
		[coded('ECONNRESET'), 'the connection was reset'],
		[coded('EPIPE'), 'the connection was closed by the other side (broken pipe)'],
	])('%s', (error, sentence) => {
		expect(netErrorSentence(error)).toBe(sentence);
		expect(errorMessage(error)).toBe(sentence);
	});

	it('an errno without the peer its sentence names, or one we do not know: undefined', () => {
		expect(netErrorSentence(coded('ECONNREFUSED'))).toBeUndefined();
		expect(netErrorSentence(coded('EWHATEVER', {address: '127.0.0.1', port: 1}))).toBeUndefined();
		expect(netErrorSentence(new Error('plain'))).toBeUndefined();
	});

	it('what Node really throws: a refused connection and a name that does not resolve', async () => {
		const port = await freePort();
		const refused = await new Promise<unknown>(resolve => net.connect(port, '127.0.0.1').on('error', resolve));
		expect(errorMessage(refused)).toBe(`nothing is listening at 127.0.0.1:${port} (connection refused)`);
		const unresolved = await dns.lookup('no-such-host.invalid').catch((error: unknown) => error);
		expect(errorMessage(unresolved)).toMatch(/^cannot resolve no-such-host\.invalid/);
	});
});
