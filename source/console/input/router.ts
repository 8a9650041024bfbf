// The one place keys go. A read is split into keys (keys.ts); with nothing pending the first is
// handled at once, the rest are queued: the pump (keyboard.tsx) hands them over one at a time, each
// only after React has committed what the key before it did and every screen has registered the
// keymap of that commit. So `jjj` moves three rows, `/pattern⏎`
// reaches the text field the `/` opened, and a second `n` sees the backup the first one started.
//
// Who gets a key, in order: the frame's first keys (Ctrl-C) → an open question (quit) → the
// newest capture (a text field, a dialog: it takes every key) → the help overlay → the frame's
// keys (1-4, Tab, q, ?) → the keymap of the tab on screen.
// A confirm dialog (typed-word guard) drops every key still queued when it opens (dropQueued):
// its word must be typed once it is on screen, never carried in from type-ahead or a paste.
//
// A bracketed paste (keys.ts makes what a read holds of it one key, its text) is text, never a
// command: it goes to the text field on top, if that field takes pastes, as typing only (a pasted
// newline does not submit, Esc, Tab, Backspace and controls do nothing: keys.ts took them out), and
// anywhere else it is dropped, the frame flashing once a paste why (`paste ignored: no text field`).
// So a paste of `x⏎q` on a list neither deletes nor quits. Pieces of one paste waiting in the queue
// are joined (at most keys.ts's pasteKeep characters), so Ctrl-C after a paste of megabytes waits
// for one piece, not a million keys. Terminals without bracketed paste send a paste as keys, as before.
import {barItems, runKeymap, type BarItem, type KeyEntry} from './keymap.js';
import {keepPasted, KeyReader, type KeyPress} from './keys.js';

/** A text field or a dialog: its keys, then everything else (typing) goes to `other`. */
export type Capture = {
	readonly entries: readonly KeyEntry[];
	readonly other: (press: KeyPress) => void;
	/**
	 * What a paste does: 'type' types its text (a text field); otherwise it is dropped and the
	 * frame says why (`refused`: the capture's own words; without it: `no text field`).
	 */
	readonly paste?: 'type' | {readonly refused: string};
};

/** Why a paste did nothing, when nothing on top takes one (the flash: `paste ignored: …`). */
export const noTextField = 'no text field';

export type FrameKeys = {
	/** before anything else (Ctrl-C works even in a text field) */
	readonly first: readonly KeyEntry[];
	/** a question that takes every key while it is asked */
	readonly question?: readonly KeyEntry[] | undefined;
	/** the help overlay, when open: takes every key */
	readonly help?: readonly KeyEntry[] | undefined;
	readonly keys: readonly KeyEntry[];
	/** the id the tab on screen registers its keymap under */
	readonly activeTab: string;
	/** told of every key before it is handled (an error on show has been seen) */
	readonly seen?: ((press: KeyPress) => void) | undefined;
	/** a paste was dropped, and why: said once a paste */
	readonly pasteIgnored?: ((why: string) => void) | undefined;
};

export class InputRouter {
	readonly #queue: KeyPress[] = [];
	readonly #reader = new KeyReader();
	/** the last paste the frame was told it did nothing */
	#toldPaste = 0;
	#busy = false;
	/** the tick watching for a blocked event loop while a paste is open */
	#watch: NodeJS.Timeout | undefined;
	#wake: () => void = () => undefined;
	#frame: FrameKeys | undefined;
	readonly #tabs = new Map<string, readonly KeyEntry[]>();
	#lastTab: string | undefined;
	readonly #captures = new Map<string, Capture>();
	readonly #listeners = new Set<() => void>();
	#captureBar: readonly BarItem[] | undefined;

	/** The pump: `wake` gets a commit under way, after which the pump calls step(). */
	setWake(wake: () => void): void {
		this.#wake = wake;
	}

	/**
	 * A read from the terminal (Ink emits one per escape sequence: 45 PgDn in one read are 45 calls
	 * in a row, with no commit between them). Not busy, the last commit is what every key handled
	 * so far did: the first key is handled at once, so what it does lands in the very next commit
	 * (forcing a commit first put each press in Ink's second, throttled render: bench P6 5 → 40 ms).
	 * Busy from then on: the keys after it wait for the commit that key makes. `now`: when it was read (tests give their own clock).
	 */
	receive(chunk: string, now = Date.now()): void {
		for (const press of this.#reader.read(chunk, now)) this.#enqueue(press);
		this.#watchPaste();
		if (this.#busy) return;
		const press = this.#queue.shift();
		if (press === undefined) return;
		this.#busy = true;
		try {
			this.dispatch(press);
		} finally {
			// a commit follows even when the key changed nothing: the pump steps (or releases) there
			this.#wake();
		}
	}

	/**
	 * While a paste is open, a tick every 10 ms: one that comes late found the event loop blocked
	 * (a frame being drawn), and input that arrived meanwhile waited in the terminal's buffer — the
	 * burst was not over, the console was just not reading. So a paste's quiet time (keys.ts:
	 * pasteTailMs after its end marker) counts only time the console could read. Timers run before
	 * reads in a turn of the event loop, so the late tick is seen before the input that waited.
	 */
	#watchPaste(): void {
		if (this.#watch !== undefined || !this.#reader.inPaste()) return;
		let last = Date.now();
		this.#watch = setInterval(() => {
			const now = Date.now();
			if (now - last > 25) this.#reader.busyUntil(now);
			last = now;
			if (this.#reader.inPaste(now)) return;
			clearInterval(this.#watch);
			this.#watch = undefined;
		}, 10);
		this.#watch.unref();
	}

	/** Queues a key; a piece of a paste joins the piece of the same paste queued last (a paste is one piece of work). */
	#enqueue(press: KeyPress): void {
		const last = this.#queue.at(-1);
		if (press.paste !== undefined && last?.paste === press.paste) {
			this.#queue[this.#queue.length - 1] = {...last, text: keepPasted(last.text + press.text)};
			return;
		}
		this.#queue.push(press);
	}

	/**
	 * Called by the pump after a commit: handles the next queued key (its updates, made in the
	 * commit phase, are committed before anything else runs); true when more wait. With nothing
	 * queued it only releases the router: the next read is handled at once again.
	 */
	step(): boolean {
		const press = this.#queue.shift();
		try {
			if (press) this.dispatch(press);
		} finally {
			if (this.#queue.length === 0) this.#busy = false;
		}
		return this.#busy;
	}

	/**
	 * Discards every key still waiting (the rest of the read that opened a confirm dialog, and any
	 * read queued behind it); how many. The pump then finds nothing and releases the router.
	 */
	dropQueued(): number {
		return this.#queue.splice(0).length;
	}

	dispatch(press: KeyPress): void {
		const frame = this.#frame;
		frame?.seen?.(press);
		if (press.paste !== undefined) return this.#pasted(press, press.paste, frame);
		if (frame && runKeymap(frame.first, press)) return;
		if (frame?.question) {
			runKeymap(frame.question, press);
			return;
		}
		const capture = [...this.#captures.values()].at(-1);
		if (capture) {
			if (!runKeymap(capture.entries, press)) capture.other(press);
			return;
		}
		if (frame?.help) {
			runKeymap(frame.help, press);
			return;
		}
		if (frame && runKeymap(frame.keys, press)) return;
		runKeymap(this.tabKeymap(frame?.activeTab ?? this.#lastTab), press);
	}

	/** A paste's text: typing for a text field on top that takes it, nothing anywhere else. */
	#pasted(press: KeyPress, paste: number, frame: FrameKeys | undefined): void {
		const capture = frame?.question ? undefined : [...this.#captures.values()].at(-1);
		if (capture?.paste === 'type') {
			// text only: a pasted newline never submits, nor does a pasted Esc cancel
			if (press.text) capture.other(press);
			return;
		}
		if (this.#toldPaste === paste) return;
		this.#toldPaste = paste;
		frame?.pasteIgnored?.(typeof capture?.paste === 'object' ? capture.paste.refused : noTextField);
	}

	setFrame(frame: FrameKeys): void {
		this.#frame = frame;
	}

	setTab(id: string, entries: readonly KeyEntry[]): void {
		this.#tabs.set(id, entries);
		this.#lastTab = id;
	}

	/** Drops a tab's keymap, unless another screen of the tab has set its own since. */
	removeTab(id: string, entries: readonly KeyEntry[]): void {
		if (this.#tabs.get(id) === entries) this.#tabs.delete(id);
	}

	/** The keymap the tab's screen registered last (a tab rendered alone, in tests, has no frame). */
	tabKeymap(id: string | undefined): readonly KeyEntry[] {
		return (id === undefined ? undefined : this.#tabs.get(id)) ?? [];
	}

	/** Sets a capture; a new one goes on top, one set again keeps its place. */
	setCapture(id: string, capture: Capture): void {
		this.#captures.set(id, capture);
		this.#captureChanged();
	}

	removeCapture(id: string): void {
		if (this.#captures.delete(id)) this.#captureChanged();
	}

	/** The bottom bar of the top capture, if any (the same array until it changes). */
	captureBar = (): readonly BarItem[] | undefined => this.#captureBar;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	#captureChanged(): void {
		const top = [...this.#captures.values()].at(-1);
		const bar = top ? barItems(top.entries) : undefined;
		if (JSON.stringify(bar) === JSON.stringify(this.#captureBar)) return;
		this.#captureBar = bar;
		for (const listener of this.#listeners) listener();
	}
}
