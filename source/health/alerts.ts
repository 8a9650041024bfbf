// Verdict-change alerts to a webhook (ALERT_WEBHOOK_URL): one POST per change, never one per poll.
// The JSON has both `content` (Discord) and `text` (Slack). A webhook that fails is logged and the
// message retried later; it never throws into the caller (the console or `serve`).
import {mask} from '../text/mask.js';
import {summary, type HealthReport, type Verdict} from './health.js';
import {fetchTarget} from '../system/url-credentials.js';

export type AlertPayload = {
	readonly content: string;
	readonly text: string;
	readonly verdict: Verdict;
	readonly previous: Verdict;
	readonly reasons: readonly string[];
	readonly at: string;
};

export type AlertOptions = {
	readonly url: string | undefined;
	/** where failures (and retries that worked) are reported; masked lines */
	readonly log?: (line: string) => void;
	/** wait before retrying a failed POST (default 30 s) */
	readonly retryMs?: number;
	/** per POST (default 5 s) */
	readonly timeoutMs?: number;
	/** label in the message, e.g. the host name */
	readonly source?: string;
};

const maxQueued = 20;

export class AlertNotifier {
	// Starting up into a bad state is a change worth telling: the baseline is healthy.
	#last: Verdict = 'healthy';
	readonly #queue: AlertPayload[] = [];
	#timer: NodeJS.Timeout | undefined;
	#sending = false;
	#closed = false;
	sent = 0;
	failed = 0;

	constructor(readonly options: AlertOptions) {}

	/** Call with every report; sends only when the verdict changed since the last one. */
	observe(report: Pick<HealthReport, 'verdict' | 'reasons' | 'checkedAt'>): AlertPayload | undefined {
		if (report.verdict === this.#last) return undefined;
		const previous = this.#last;
		this.#last = report.verdict;
		if (!this.options.url || this.#closed) return undefined;
		const line = mask(`${this.options.source ? `[${this.options.source}] ` : ''}opsdeck: ${previous} -> ${summary(report)}`);
		const payload: AlertPayload = {
			content: line.slice(0, 2000),
			text: line,
			verdict: report.verdict,
			previous,
			reasons: report.reasons.map(r => mask(r.message)),
			at: report.checkedAt,
		};
		this.#queue.push(payload);
		if (this.#queue.length > maxQueued) this.#queue.splice(0, this.#queue.length - maxQueued);
		void this.#flush();
		return payload;
	}

	async #flush(): Promise<void> {
		if (this.#sending || this.#closed) return;
		this.#sending = true;
		try {
			while (this.#queue.length > 0 && !this.#closed) {
				const payload = this.#queue[0]!;
				try {
					// (user:password in the URL as a Basic header: fetch refuses a URL with credentials)
					const target = fetchTarget(this.options.url!);
					const response = await fetch(target.url, {
						method: 'POST',
						headers: {'content-type': 'application/json', ...target.headers},
						body: JSON.stringify(payload),
						signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
					});
					await response.arrayBuffer().catch(() => undefined);
					if (!response.ok) throw new Error(`HTTP ${response.status}`);
					this.#queue.shift();
					this.sent++;
				} catch (error) {
					this.failed++;
					const cause = (error as {cause?: unknown}).cause;
					const reason = cause instanceof Error ? cause.message : (error as Error).message;
					const retryMs = this.options.retryMs ?? 30_000;
					this.options.log?.(mask(`alert webhook failed (${reason}); ${this.#queue.length} queued, retrying in ${retryMs < 1000 ? `${retryMs} ms` : `${Math.round(retryMs / 1000)} s`}`));
					clearTimeout(this.#timer);
					this.#timer = setTimeout(() => void this.#flush(), retryMs);
					this.#timer.unref?.();
					return;
				}
			}
		} finally {
			this.#sending = false;
		}
	}

	/** alerts waiting to be (re)sent */
	get pending(): number {
		return this.#queue.length;
	}

	close(): void {
		this.#closed = true;
		clearTimeout(this.#timer);
	}
}
