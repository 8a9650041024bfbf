// Lines per second while following, over the last few seconds (the tab's header; P9c's load).
import type {LineFilter} from './filter.js';
import type {LogLine} from './lines.js';

export class LineRate {
	private samples: Array<{at: number; count: number}> = [];
	private readonly since: number;

	constructor(private readonly windowMs = 5000, now = Date.now()) {
		this.since = now;
	}

	add(count: number, now = Date.now()): void {
		if (count > 0) this.samples.push({at: now, count});
		this.drop(now);
	}

	/** A follower's batch: every line counted (the rate is of the log, not of the filter), the ones that pass handed on. */
	deliver(lines: LogLine[], filter: LineFilter | undefined, onLines: (lines: LogLine[]) => void): void {
		this.add(lines.length);
		const shown = filter ? lines.filter(line => filter.passes(line)) : lines;
		if (shown.length > 0) onLines(shown);
	}

	/** lines a second over the window (or since following began, when that is shorter) */
	perSecond(now = Date.now()): number {
		this.drop(now);
		const total = this.samples.reduce((sum, s) => sum + s.count, 0);
		const span = Math.min(this.windowMs, Math.max(1000, now - this.since));
		return (total * 1000) / span;
	}

	private drop(now: number): void {
		const oldest = now - this.windowMs;
		while (this.samples.length > 0 && this.samples[0]!.at <= oldest) this.samples.shift();
	}
}
