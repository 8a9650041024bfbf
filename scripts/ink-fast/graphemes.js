// Grapheme segmentation without ICU for text whose every character is a grapheme cluster of its own.
// The first `new Intl.Segmenter()` of a process loads ICU's break-iterator data: 15-30 ms of the
// start (80 ms on a loaded machine), before the first frame, since string-width and ansi-tokenize
// build theirs when Ink loads and segment the first frame's text ("checking…", the tab bar). Most of
// what the console draws is printable ASCII, Latin-1/Latin Extended, punctuation, arrows, box
// drawing, blocks and symbols: characters of Grapheme_Cluster_Break Other (or Control: ESC, BEL),
// between which UAX #29 always breaks (no Extend, ZWJ, SpacingMark, Prepend, Hangul jamo or
// regional indicator among them). Text made only of them is cut after every character, as ICU
// would (test/scripts/graphemes-patch.test.ts checks the class of every one against ICU); any other
// text goes to a real Intl.Segmenter, made on its first need.
const ownCluster = /^[\u0007\u001B\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u23FF\u2500-\u27BF]*$/;

/** what `new Intl.Segmenter(locales, options)` gives, for grapheme segments iterated with for…of */
export function lazySegmenter(locales, options) {
	if ((options?.granularity ?? 'grapheme') !== 'grapheme') return new Intl.Segmenter(locales, options);
	let real;
	return {
		segment(input) {
			if (!ownCluster.test(input)) return (real ??= new Intl.Segmenter(locales, options)).segment(input);
			// every character is BMP: its UTF-16 index is its position
			const segments = new Array(input.length);
			for (let index = 0; index < input.length; index++) segments[index] = {segment: input[index], index, input};
			return segments;
		},
	};
}

/** `new Intl.Segmenter(locales, options)` made on its first use (slice-ansi also asks `containing`) */
export function segmenterOnFirstUse(locales, options) {
	let real;
	return {
		segment: input => (real ??= new Intl.Segmenter(locales, options)).segment(input),
	};
}
