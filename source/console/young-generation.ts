// The console runs for hours drawing about one frame a second: what it allocates per frame dies
// young. V8 grows the young generation (its semi-spaces) up to 16 MB each as soon as a burst of
// start-up work survives, and rarely gives the pages back: ~20 MB of the idle console's RSS was
// new space it no longer needed (bench P5b/P5c). Not letting it grow past its start size keeps each
// scavenge small; it can still shrink. A V8 flag read at every growth, so it works set at run time
// (the semi-space *limit* flags are read once, when the heap is made, and cannot be changed here).
import v8 from 'node:v8';

export function keepYoungGenerationSmall(): void {
	// OPSDECK_SEMI_SPACE_GROWTH: V8's growth factor instead (2 is V8's own; for a side-by-side measurement)
	const factor = process.env['OPSDECK_SEMI_SPACE_GROWTH'] ?? '1';
	if (!/^\d+$/.test(factor)) return;
	// V8 refuses a code cache made under other flags: the bundle's loader (scripts/code-cache-loader.cjs)
	// writes the one it owes now, before the flag changes
	process.emit('opsdeck:before-v8-flags' as 'exit', 0);
	try {
		v8.setFlagsFromString(`--semi-space-growth-factor=${factor}`);
	} catch {
		// a runtime without the flag: the default growth
	}
}
