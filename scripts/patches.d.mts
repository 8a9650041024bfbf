// Types of scripts/patches.mjs for the tests that use it.
export declare function lazyEmojiStringWidth(source: string, file: string): string;
export declare function segmenterOnNeed(source: string, file: string, made: string, factory?: 'lazySegmenter' | 'segmenterOnFirstUse'): string;
export declare function terminalSizeText(source: string, file: string): string;
export declare function signalExitText(source: string, file: string): string;
export declare function inkDomText(source: string, file: string): string;
export declare const sameCellsSource: string;
export declare const textCacheLimit: number;
export declare function inkMeasureTextBounded(source: string, file: string): string;
export declare function inkWrapTextBounded(source: string, file: string): string;
