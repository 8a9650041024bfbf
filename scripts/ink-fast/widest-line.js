// A drop-in for widest-line, swapped in by scripts/bundle.mjs: the same function with a bounded cache.
// Ink measures the width of every text node on every frame (render-node-to-output.js), and
// string-width walks each string by grapheme: with the cache, an unchanged text costs a Map lookup.
import stringWidth from 'string-width';

const cache = new Map();

export default function widestLine(string) {
	let width = cache.get(string);
	if (width === undefined) {
		width = 0;
		for (const line of string.split('\n')) width = Math.max(width, stringWidth(line));
		if (cache.size >= 4000) cache.clear();
		cache.set(string, width);
	}
	return width;
}
