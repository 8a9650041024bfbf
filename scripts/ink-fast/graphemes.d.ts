// Types of scripts/ink-fast/graphemes.js for the tests that use it.
type Segments = Iterable<{readonly segment: string; readonly index: number; readonly input: string}>;
export declare function lazySegmenter(locales?: Intl.LocalesArgument, options?: Intl.SegmenterOptions): {segment(input: string): Segments};
export declare function segmenterOnFirstUse(locales?: Intl.LocalesArgument, options?: Intl.SegmenterOptions): {segment(input: string): Intl.Segments};
