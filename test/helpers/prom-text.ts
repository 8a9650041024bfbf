// A strict reader of the Prometheus text exposition format (0.0.4), for tests: prom-client has no
// parser of its own. It throws on the first line that breaks the grammar or the rules a scraper
// relies on: HELP and TYPE at most once per metric, TYPE before its samples, a metric's samples
// together, label names and values well formed (\\ \" \n the only escapes), a number as value.
export type Sample = {readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly value: number};
export type Family = {readonly name: string; help?: string; type?: string; readonly samples: Sample[]};

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function number(text: string, line: number): number {
	if (text === 'NaN') return Number.NaN;
	if (text === '+Inf') return Number.POSITIVE_INFINITY;
	if (text === '-Inf') return Number.NEGATIVE_INFINITY;
	if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: not a number: ${JSON.stringify(text)}`);
	return Number(text);
}

/** `{a="x",b="y\"z"}` from position 0 of text; returns the labels and what follows the `}`. */
function labels(text: string, line: number): {labels: Record<string, string>; rest: string} {
	const out: Record<string, string> = {};
	let i = 1;
	while (text[i] !== '}') {
		const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0];
		if (!name) throw new Error(`line ${line}: bad label name at ${JSON.stringify(text.slice(i, i + 20))}`);
		i += name.length;
		if (text.slice(i, i + 2) !== '="') throw new Error(`line ${line}: label ${name} has no ="`);
		i += 2;
		let value = '';
		for (;;) {
			const ch = text[i];
			if (ch === undefined) throw new Error(`line ${line}: label value not closed`);
			i++;
			if (ch === '"') break;
			if (ch === '\\') {
				const next = text[i++];
				if (next === 'n') value += '\n';
				else if (next === '\\' || next === '"') value += next;
				else throw new Error(`line ${line}: bad escape \\${next ?? ''}`);
			} else if (ch === '\n') throw new Error(`line ${line}: raw newline in a label value`);
			else value += ch;
		}
		if (Object.hasOwn(out, name)) throw new Error(`line ${line}: label ${name} twice`);
		out[name] = value;
		if (text[i] === ',') i++;
		else if (text[i] !== '}') throw new Error(`line ${line}: expected , or } after label ${name}`);
	}
	return {labels: out, rest: text.slice(i + 1)};
}

/** The families of a scrape, in order; throws on anything a strict scraper would refuse. */
export function parsePrometheusText(text: string): Map<string, Family> {
	if (text.length > 0 && !text.endsWith('\n')) throw new Error('the text does not end with a newline');
	const families = new Map<string, Family>();
	const family = (name: string) => {
		let f = families.get(name);
		if (!f) families.set(name, (f = {name, samples: []}));
		return f;
	};
	let current: string | undefined;
	const finished = new Set<string>();
	const enter = (name: string, line: number) => {
		if (name === current) return;
		if (finished.has(name)) throw new Error(`line ${line}: ${name} appears again after other metrics`);
		if (current !== undefined) finished.add(current);
		current = name;
	};
	for (const [index, raw] of text.split('\n').entries()) {
		const line = index + 1;
		if (raw === '') continue;
		const comment = /^#\s*(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
		if (comment) {
			const [, kind, name, rest = ''] = comment;
			if (!metricName.test(name!)) throw new Error(`line ${line}: bad metric name ${name}`);
			enter(name!, line);
			const f = family(name!);
			if (kind === 'HELP') {
				if (f.help !== undefined) throw new Error(`line ${line}: a second HELP for ${name}`);
				if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`line ${line}: bad escape in HELP`);
				f.help = rest;
			} else {
				if (f.type !== undefined) throw new Error(`line ${line}: a second TYPE for ${name}`);
				if (f.samples.length > 0) throw new Error(`line ${line}: TYPE after the samples of ${name}`);
				if (!types.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
				f.type = rest;
			}
			continue;
		}
		if (raw.startsWith('#')) continue;
		const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw)?.[0];
		if (!name) throw new Error(`line ${line}: not a sample: ${JSON.stringify(raw.slice(0, 60))}`);
		let rest = raw.slice(name.length);
		let sampleLabels: Record<string, string> = {};
		if (rest.startsWith('{')) ({labels: sampleLabels, rest} = labels(rest, line));
		const fields = rest.trim().split(/\s+/);
		if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2) throw new Error(`line ${line}: expected " value [timestamp]"`);
		if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1])) throw new Error(`line ${line}: bad timestamp`);
		// a histogram's or summary's _bucket/_sum/_count belong to their family
		const base = [...families.keys()].find(f => f === name || (/^(histogram|summary)$/.test(families.get(f)!.type ?? '') && new RegExp(`^${f}_(bucket|sum|count)$`).test(name))) ?? name;
		enter(base, line);
		family(base).samples.push({name, labels: sampleLabels, value: number(fields[0]!, line)});
	}
	return families;
}

/** The value of the sample with exactly these labels, or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
	const want = JSON.stringify(Object.entries(labels).sort());
	return families.get(name)?.samples.find(s => JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
}
