// Destructive work the console is doing (a restore): quitting must not drop it half-way (issue 13,
// case 8). The job registers here; `q`/Ctrl-C ask the operator (finish / abandon) and hold the
// work at its point of no return while they ask; a signal abandons it. Module state: one console
// per process, and both the frame (keys) and run-console (signals) need it.

export type Work = {
	/** what it is, e.g. "restore of manual_2025-12-04T10-30-00.db" */
	readonly label: string;
	/** stops it before its point of no return (it removes what it made); past it, it finishes */
	abandon(reason: string): void;
	/** settles when it is over, with the line that says how it ended */
	readonly done: Promise<string>;
};

let current: Work | undefined;
let hold: {promise: Promise<void>; release: () => void} | undefined;
/** how the last work ended when the console was quitting (printed after the screen is restored) */
let note: string | undefined;

export function currentWork(): Work | undefined {
	return current;
}

/** Registers work until `done` settles. */
export function beginWork(work: Work): void {
	current = work;
	void work.done.then(() => {
		if (current === work) current = undefined;
	}, () => {
		if (current === work) current = undefined;
	});
}

/** While the operator is asked whether to quit: the work waits at its point of no return. */
export function holdWork(): () => void {
	if (!hold) {
		let release!: () => void;
		const promise = new Promise<void>(resolve => (release = resolve));
		hold = {promise, release};
	}
	const mine = hold;
	return () => {
		if (hold === mine) hold = undefined;
		mine.release();
	};
}

/** Awaited by the work right before its point of no return. */
export async function workGate(): Promise<void> {
	while (hold) await hold.promise;
}

export function setQuitNote(text: string | undefined): void {
	note = text;
}

export function quitNote(): string | undefined {
	return note;
}
