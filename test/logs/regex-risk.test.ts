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

describe('patterns that backtrack polynomially (the hostile tester: 100% CPU, q and SIGTERM ignored)', () => {
	const line = `X${'A'.repeat(20_000)}`;

	it('V8\'s linear-time fallback takes them over: a 20,000-character line in well under a second each (5 s allowed on a loaded machine; alone: minutes)', () => {
		for (const grep of ['.*A.*A.*X', 'A*A*A*A*A*X', '\\w*\\w*\\w*\\w*X', '/.*A.*A.*X/s', '^.*A.*A.*X']) {
			const filter = compileFilter({grep})!;
			const started = performance.now();
			filter.test(line);
			filter.ranges(line);
			expect(performance.now() - started, grep).toBeLessThan(5000);
		}
	});

	it('what the linear-time engine cannot take is refused with two or more repeats, saying why: i u v, lookaround, repeats bounded above 16', () => {
		expect(refused('/.*A.*A.*X/i')).toBe(
			"--grep is refused: the i flag keeps V8's linear-time fallback from taking over a pattern with 3 repeats, which can backtrack for minutes on a long line: drop it and write the letters that matter as classes ([Ee]rror), or keep one repeat",
		);
		for (const grep of ['/(\\w+)=(\\w+)/u', '/a+b+/v']) expect(refused(grep), grep).toMatch(/^--grep is refused: the [uv] flag keeps V8's linear-time fallback from taking over a pattern with 2 repeats/);
		for (const grep of ['(?=A).*A*X', '.*(?!B)A.*X', '(?<=A).*A.*X', '(?<!B)\\w+\\s+x']) expect(refused(grep), grep).toMatch(/^--grep is refused: the lookaround \(\?<?[=!] keeps V8's linear-time fallback from taking over/);
		expect(refused('A{1,100}A{1,100}X')).toMatch(/^--grep is refused: the repeat \{1,100\} keeps V8's linear-time fallback from taking over a pattern with 2 repeats.*: bound it to 16 at most, or write \* or \+$/);
		// one repeat, or nothing the fallback cannot take: allowed
		for (const grep of ['/error.*timeout/i', '/time(out)?/i', '(?=x)abc', '(?<=user=)\\w+', 'A{1,100}X', '/a+b+/s', '^\\d{4}-\\d\\d.*ERROR.*db']) expect(refused(grep), grep).toBeUndefined();
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
