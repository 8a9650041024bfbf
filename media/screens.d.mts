// Types for screens.mjs (the test imports it; render.mjs is plain JavaScript).
export type PaneSize = {readonly cols: number; readonly rows: number};
export type Screen = {
	type(...keys: string[]): Promise<void>;
	waitFor(check: (lines: string[]) => boolean, what: string): Promise<string[]>;
	lines(): string[];
	pause(ms: number): Promise<unknown>;
};
export declare const paneSizes: readonly PaneSize[];
export declare const backupTime: RegExp;
export declare function paneProblems(lines: readonly string[], wrapped: readonly number[], size: PaneSize): string[];
export declare function visitScreens(screen: Screen, options: PaneSize & {readonly shot: (name: string, title: string, lines: string[]) => void | Promise<void>}): Promise<void>;
