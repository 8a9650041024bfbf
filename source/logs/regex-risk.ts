// Node has no regex timeout (and no RE2 here): a pattern that can backtrack exponentially would
// freeze the console and the CLI on one long line written by someone else. So such patterns are
// refused before they run, like safe-regex does it ("star height" above 1): a repeated group whose
// body repeats too ((a+)+, (\w+\s?)*, (.*)*), a repeated group whose alternatives can start with the
// same character ((a|a)+, (a|ab)*), and back-references. Conservative: the pattern is parsed
// respecting escapes and character classes; it is a valid regex already (new RegExp succeeded).
// The rest — polynomial backtracking, `.*A.*A.*X` on a 20,000-character line — V8 hands over to its
// linear-time engine (regexp-fallback.ts), except what that engine cannot take: the i, u and v
// flags, lookaround ((?= (?! (?<= (?<!) and repeats bounded above 16 ({1,100}). A pattern with one
// of those AND two or more repeats (*, +, {n,}, {m,n} above 16) is refused too, saying why.

type Body = {readonly unbounded: boolean; readonly ambiguous: boolean};

const nested = (part: string) => `${part} is a repeated group that itself repeats, which can take exponential time on a long line: rewrite it, e.g. (a+)+ → a+`;
const overlapping = (part: string) => `${part} is a repeated group whose alternatives can match the same text, which can take exponential time on a long line: rewrite it, e.g. (a|ab)* → (ab?)*`;
const backReference = 'back-references (\\1, \\k<name>) can take exponential time on a long line: they are refused';

const linear = (why: string, repeats: number, hint: string) =>
	`${why} keeps V8's linear-time fallback from taking over a pattern with ${repeats} repeats, which can backtrack for minutes on a long line: ${hint}`;
/** repeats bounded above this keep the linear-time engine out (V8's replication limit) */
const maxReplication = 16;

class Refused extends Error {}

class Parser {
	private i = 0;
	/** quantifiers that may repeat without a small bound: *, +, {n,}, {m,n} with n above 16 */
	repeats = 0;
	/** the first lookaround met, e.g. (?= */
	lookaround: string | undefined;
	/** the first repeat bounded above 16, e.g. {1,100} */
	large: string | undefined;
	constructor(
		private readonly s: string,
		private readonly fold: boolean,
	) {}

	run(): void {
		this.alternatives();
	}

	/** alternatives up to `)` or the end; ambiguous when two of them may start alike */
	private alternatives(): Body {
		let unbounded = false;
		let ambiguous = false;
		const firsts: Array<string | undefined> = [];
		for (;;) {
			const branch = this.branch();
			unbounded ||= branch.unbounded;
			ambiguous ||= branch.ambiguous;
			firsts.push(branch.first);
			if (this.s[this.i] !== '|') break;
			this.i++;
		}
		if (firsts.length > 1 && (firsts.includes(undefined) || new Set(firsts).size < firsts.length)) ambiguous = true;
		return {unbounded, ambiguous};
	}

	/** one alternative; `first`: the literal character it must start with, when known */
	private branch(): Body & {first?: string} {
		const s = this.s;
		let unbounded = false;
		let ambiguous = false;
		let first: string | undefined;
		let atoms = 0;
		while (this.i < s.length && s[this.i] !== '|' && s[this.i] !== ')') {
			const start = this.i;
			const ch = s[this.i]!;
			let body: Body = {unbounded: false, ambiguous: false};
			let literal: string | undefined;
			if (ch === '^' || ch === '$') {
				this.i++;
				continue;
			} else if (ch === '\\') {
				const next = s[this.i + 1] ?? '';
				if (/[1-9]/.test(next) || (next === 'k' && s[this.i + 2] === '<')) throw new Refused(backReference);
				literal = /[A-Za-z0-9]/.test(next) ? undefined : next;
				this.i += 2;
			} else if (ch === '[') {
				this.skipClass();
			} else if (ch === '(') {
				this.i++;
				const look = /^\?<?[=!]/.exec(s.slice(this.i));
				if (look) this.lookaround ??= `(${look[0]}`;
				if (s[this.i] === '?') this.i = s[this.i + 1] === '<' && !'=!'.includes(s[this.i + 2] ?? '') ? s.indexOf('>', this.i) + 1 : /^\?(?:<[=!]|[=!:]|[a-z-]*:)/.exec(s.slice(this.i))![0].length + this.i;
				body = this.alternatives();
				this.i++; // )
			} else {
				literal = ch === '.' ? undefined : this.fold ? ch.toLowerCase() : ch;
				this.i++;
			}
			const q = this.quantifier();
			if (q.repeats && body.unbounded) throw new Refused(nested(s.slice(start, this.i)));
			if (q.repeats && body.ambiguous) throw new Refused(overlapping(s.slice(start, this.i)));
			if (atoms++ === 0) first = q.optional ? undefined : literal;
			unbounded ||= body.unbounded || q.unbounded;
			ambiguous ||= body.ambiguous;
		}
		return {unbounded, ambiguous, ...(atoms > 0 && first !== undefined ? {first} : {})};
	}

	private skipClass(): void {
		const s = this.s;
		for (this.i++; this.i < s.length && s[this.i] !== ']'; this.i++) if (s[this.i] === '\\') this.i++;
		this.i++;
	}

	/** the quantifier after an atom, if any: repeats (may match more than once), unbounded, optional */
	private quantifier(): {repeats: boolean; unbounded: boolean; optional: boolean} {
		const s = this.s;
		const ch = s[this.i];
		let q = {repeats: false, unbounded: false, optional: false};
		if (ch === '*' || ch === '+') q = {repeats: true, unbounded: true, optional: ch === '*'};
		if (ch === '*' || ch === '+' || (ch === '{' && /^\{\d+,\}/.test(s.slice(this.i)))) this.repeats++;
		else if (ch === '?') q = {repeats: false, unbounded: false, optional: true};
		const braces = ch === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i)) : null;
		if (braces) {
			const min = Number(braces[1]);
			const max = braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]);
			q = {repeats: max > 1, unbounded: max === Infinity, optional: min === 0};
			if (max !== Infinity && Math.max(min, max) > maxReplication) {
				this.large ??= braces[0];
				this.repeats++;
			}
			this.i += braces[0].length;
		} else if (ch === '*' || ch === '+' || ch === '?') this.i++;
		else return q;
		if (s[this.i] === '?') this.i++; // lazy
		return q;
	}
}

/** Why running this regex could take exponential (or, out of reach of the linear-time engine, polynomial) time, or undefined when it is refused for nothing. */
export function exponentialRisk(regex: RegExp): string | undefined {
	try {
		const parser = new Parser(regex.source, regex.flags.includes('i'));
		parser.run();
		if (parser.repeats < 2) return undefined;
		const flag = /[iuv]/.exec(regex.flags)?.[0];
		if (flag === 'i') throw new Refused(linear('the i flag', parser.repeats, 'drop it and write the letters that matter as classes ([Ee]rror), or keep one repeat'));
		if (flag) throw new Refused(linear(`the ${flag} flag`, parser.repeats, 'drop it, or keep one repeat'));
		if (parser.lookaround) throw new Refused(linear(`the lookaround ${parser.lookaround}`, parser.repeats, 'match without it, or keep one repeat'));
		if (parser.large) throw new Refused(linear(`the repeat ${parser.large}`, parser.repeats, `bound it to ${maxReplication} at most, or write * or +`));
		return undefined;
	} catch (error) {
		if (error instanceof Refused) return error.message;
		throw error;
	}
}
