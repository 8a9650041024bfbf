// The hostile tester's hang: a backtracking regex (--grep, the Logs tab's `/`) froze the process on
// a 40-character line. Such patterns are refused before they run, with what to rewrite; common
// patterns still pass; a bad flag is an error, not plain text.
import {describe, expect, it} from 'vitest';
import {compileFilter, FilterError} from '../../source/logs/filter.js';

const refused = (grep: string) => {
	try {
		compileFilter({grep});
	} catch (error) {
		if (error instanceof FilterError) return error.message;
		throw error;
	}
	return undefined;
};

describe('patterns that can backtrack exponentially', () => {
	it('are refused, the message names the group and the rewrite', () => {
		expect(refused('(a+)+$')).toBe('--grep is refused: (a+)+ is a repeated group that itself repeats, which can take exponential time on a long line: rewrite it, e.g. (a+)+ → a+');
		for (const grep of ['(a*)*', '(\\w+\\s?)*', '(.*)*', '/(a+)+$/i', '(?:x+y?){2,}', '((a+)b){1,3}', '(\\d+\\.)+com', '(?<n>.+)*'])
			expect(refused(grep), grep).toMatch(/^--grep is refused: .* is a repeated group that itself repeats/);
		for (const grep of ['(a|a)+', '(a|ab)*', '/(A|a)+/i', '(\\d|1)+', '(x|)*', '(a|[ab])+'])
			expect(refused(grep), grep).toMatch(/^--grep is refused: .* is a repeated group whose alternatives can match the same text/);
		for (const grep of ['(a)\\1', '(?<x>a+)\\k<x>']) expect(refused(grep), grep).toMatch(/^--grep is refused: back-references/);
	});

	it('common patterns pass and still match', () => {
		const allowed = ['timeout|refused', 'status=5\\d\\d', '^\\d{4}-\\d\\d', '/time(out)?/i', '(GET|POST) /api', 'user=(\\w+)', '\\[(ERROR|WARN)\\]', '(ab?)*', '(a|b)+', '(A|a)+', '(?:GET|POST)+', '\\(a+\\)+', '[(a+)+]+', 'a+b*c{2,}', '(a{2})+'];
		for (const grep of allowed) expect(refused(grep), grep).toBeUndefined();
		expect(compileFilter({grep: '/time(out)?/i'})!.test('TIMEOUT after 3s')).toBe(true);
		expect(compileFilter({grep: '(GET|POST) /api'})!.test('POST /api/x 200')).toBe(true);
	});

	it('the refused pattern does not run: a long hostile line costs nothing', () => {
		expect(() => compileFilter({grep: '(a+)+$'})).toThrow(FilterError);
		expect(compileFilter({grep: 'a+$'})!.test(`${'a'.repeat(40)}!`)).toBe(false);
	});
});

describe('regex flags', () => {
	it('an unknown flag is an error, not plain text; i s u v are taken; a path stays plain text', () => {
		expect(refused('/x/zq')).toBe('--grep has an unknown regex flag in /x/zq: only i, s, u and v are taken (to match the text itself, write it without the first /)');
		expect(refused('/x/g')).toMatch(/unknown regex flag/);
		expect(refused('/x/ii')).toMatch(/^--grep is not a valid regular expression: .*Invalid flags/);
		expect(refused('/[/')).toMatch(/^--grep is not a valid regular expression/);
		expect(compileFilter({grep: '/x/isu'})!.test('X')).toBe(true);
		expect(compileFilter({grep: '/usr/bin'})!.test('exec /usr/bin/node')).toBe(true);
	});
});
