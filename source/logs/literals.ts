// The text every match of a regex must contain, as grep finds it before it runs the regex: for
// `status=5\d\d ms=8` that is `status=5`; for `timeout|refused`, one of `timeout` and `refused`.
// The whole-file search looks for these in the bytes (Buffer.indexOf, no decoding) and runs the
// regex only on the lines they are in. Conservative: anything it does not understand ends a run of
// literal text, and a branch without one (or the i flag) gives no prefilter at all.
const minLength = 3;

/** Splits a source at its top-level `|` (not inside a group or a class). */
function branches(source: string): string[] | undefined {
	const out: string[] = [];
	let depth = 0;
	let inClass = false;
	let start = 0;
	for (let i = 0; i < source.length; i++) {
		const ch = source[i]!;
		if (ch === '\\') i++;
		else if (inClass) {
			if (ch === ']') inClass = false;
		} else if (ch === '[') inClass = true;
		else if (ch === '(') depth++;
		else if (ch === ')') depth--;
		else if (ch === '|' && depth === 0) {
			out.push(source.slice(start, i));
			start = i + 1;
		}
	}
	if (depth !== 0 || inClass) return undefined;
	out.push(source.slice(start));
	return out;
}

/** Index just after the group or class that starts at `i`. */
function skipGroup(source: string, i: number): number {
	let depth = 0;
	let inClass = false;
	for (let j = i; j < source.length; j++) {
		const ch = source[j]!;
		if (ch === '\\') j++;
		else if (inClass) {
			if (ch === ']') {
				inClass = false;
				if (depth === 0) return j + 1;
			}
		} else if (ch === '[') inClass = true;
		else if (ch === '(') depth++;
		else if (ch === ')' && --depth === 0) return j + 1;
	}
	return source.length;
}

const escapedLiteral = /[\\^$.*+?()[\]{}|/\-'"`~!@#%&=:;,<> ]/;

/** Index just after the escape at `i` (\\u0041, \\u{1F600}, \\x41, \\cA, \\k<name>, \\p{L}, \\12 take more than one character). */
function escapeEnd(source: string, i: number): number {
	const rest = source.slice(i + 1);
	const m = /^(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|k<[^>]*>|[pP]\{[^}]*\}|\d+)/.exec(rest);
	return i + 1 + (m ? m[0].length : 1);
}

/** The longest run of text one branch's every match holds. */
function longestRun(branch: string): string {
	let best = '';
	let run = '';
	const end = () => {
		if (run.length > best.length) best = run;
		run = '';
	};
	for (let i = 0; i < branch.length; ) {
		const ch = branch[i]!;
		let literal: string | undefined;
		let next = i + 1;
		if (ch === '\\') {
			const escaped = branch[i + 1] ?? '';
			if (escapedLiteral.test(escaped)) literal = escaped;
			next = escapeEnd(branch, i);
		} else if (ch === '(' || ch === '[') {
			next = skipGroup(branch, i);
		} else if (!'.^$*+?{}|)]'.includes(ch)) {
			literal = ch;
		}
		// what follows may make it optional or repeat it
		const q = branch[next];
		const optional = q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(branch.slice(next)));
		const repeated = q === '+' || q === '{';
		if (q === '?' || q === '*' || q === '+') next++;
		else if (q === '{') next = branch.indexOf('}', next) + 1 || branch.length;
		// a lazy or possessive marker
		if (branch[next] === '?') next++;
		if (literal === undefined || optional) end();
		else {
			run += literal;
			if (repeated) end();
		}
		i = next;
	}
	end();
	return best;
}

/** What a line must hold for `regex` to match it (one of them), or undefined when that cannot be said simply. */
export function requiredLiterals(regex: RegExp): Buffer[] | undefined {
	if (regex.flags.includes('i')) return undefined;
	const parts = branches(regex.source);
	if (!parts) return undefined;
	const found: Buffer[] = [];
	for (const part of parts) {
		const run = longestRun(part);
		if (run.length < minLength || run.includes('\n')) return undefined;
		found.push(Buffer.from(run));
	}
	return found;
}
