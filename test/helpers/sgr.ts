// The SGR parameters (ESC [ … m) a terminal received, split into the colour ones and the others.
// Colour: 30–39 and 90–97 (foreground), 40–49 and 100–107 (background), 38/48 with their 5;N or
// 2;R;G;B. Not colour: 0 reset, 1 bold, 2 dim, 3 italic, 4 underline, 7 inverse, 9 strike, 2x offs.

function parameters(raw: string): string[][] {
	return [...raw.matchAll(/\x1b\[([\d;:]*)m/g)].map(m => (m[1] === '' ? ['0'] : m[1]!.split(/[;:]/)));
}

const isColour = (code: number) => (code >= 30 && code <= 49) || (code >= 90 && code <= 97) || (code >= 100 && code <= 107);

/** Every colour parameter received (38;5;N counts as 38), in order. */
export function colourCodes(raw: string): string[] {
	const out: string[] = [];
	for (const params of parameters(raw)) {
		for (let i = 0; i < params.length; i++) {
			const code = Number(params[i]);
			if (!isColour(code)) continue;
			out.push(params[i]!);
			// 38;5;N and 38;2;R;G;B: the rest are its arguments
			if (code === 38 || code === 48) i += params[i + 1] === '5' ? 2 : 4;
		}
	}
	return out;
}

/** Every parameter that is not colour (bold 1, dim 2, inverse 7, …). */
export function styleCodes(raw: string): string[] {
	const colours = new Set(colourCodes(raw));
	return parameters(raw).flat().filter(code => !colours.has(code) && !isColour(Number(code)));
}
