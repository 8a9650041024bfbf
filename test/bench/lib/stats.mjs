// Small statistics and timing helpers for the bench: medians, alternating pairs, formatting.

export function median(values) {
	const sorted = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function now() {
	return performance.now();
}

/**
 * Runs opsdeck and the baseline alternately, `reps` times each; the order flips every round so
 * neither side always runs on a cache the other just warmed (or on a CPU the other just heated).
 * Each function resolves with a duration in ms (it times itself: set-up stays out of the figure).
 */
export async function alternate(reps, opsdeck, baseline, {log} = {}) {
	const a = [];
	const b = [];
	for (let i = 0; i < reps; i++) {
		const order = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
		for (const side of order) {
			if (side === 'a') a.push(await opsdeck(i));
			else if (baseline) b.push(await baseline(i));
		}
		log?.(`  round ${i + 1}/${reps}: opsdeck ${fmtMs(a.at(-1))}${baseline ? `, baseline ${fmtMs(b.at(-1))}` : ''}`);
	}
	return {opsdeck: a, baseline: baseline ? b : undefined};
}

/**
 * Like alternate() for any number of sides ({opsdeck, careful, floor, ...}): every side once per
 * round, the order rotating each round so no side always runs first or last. Resolves with
 * {name: samples[]}.
 */
export async function alternateSides(reps, sides, {log} = {}) {
	const names = Object.keys(sides);
	const out = Object.fromEntries(names.map(name => [name, []]));
	for (let i = 0; i < reps; i++) {
		const order = names.map((_, k) => names[(k + i) % names.length]);
		for (const name of order) out[name].push(await sides[name](i));
		log?.(`  round ${i + 1}/${reps}: ${names.map(name => `${name} ${fmtMs(out[name].at(-1))}`).join(', ')}`);
	}
	return out;
}

/** "median (min–max)" of samples in ms */
export function fmtSamples(samples) {
	const finite = (samples ?? []).filter(v => Number.isFinite(v));
	if (finite.length === 0) return '-';
	const m = fmtMs(median(finite));
	return finite.length === 1 ? m : `${m} (${fmtMs(Math.min(...finite))}–${fmtMs(Math.max(...finite))})`;
}

export function fmtMs(ms) {
	if (!Number.isFinite(ms)) return '-';
	if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
	if (ms >= 10) return `${ms.toFixed(0)} ms`;
	return `${ms.toFixed(2)} ms`;
}

export function round(value, digits = 2) {
	if (!Number.isFinite(value)) return null;
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
