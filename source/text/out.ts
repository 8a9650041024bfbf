// The one writer. Every message that leaves the process (a command's stdout and stderr, cli.tsx's
// error line, serve's and monitor's log lines, the audit log) is masked and sanitized here, so a
// server's error text or a hostile key name cannot retitle the pane or write the clipboard however
// it got into the message (issue 14, case 1). Masking comes first: secrets are registered raw.
import {errorMessage, mask} from './mask.js';
import {jsonText, sanitize, sanitizeLines, type Safe} from './sanitize.js';

type Sink = {write(text: string): boolean};

/** Text for a pipe, a file or a terminal: masked, every control and invisible escaped, newlines kept. */
export function outText(text: string): Safe {
	return sanitizeLines(mask(text));
}

/** One line: masked, and newlines escaped too. */
export function outLine(text: string): Safe {
	return sanitize(mask(text));
}

/** An error of any kind as one masked, sanitized line. */
export function safeError(error: unknown): Safe {
	return sanitize(errorMessage(error));
}

/** JSON on one line (or pretty with space): the same data, masked, nothing a terminal acts on. */
export function outJson(value: unknown, space?: number): Safe {
	// masking only puts *** in place of a secret: what jsonText escaped stays escaped
	return mask(jsonText(value, space)) as Safe;
}

/** Writes text as it is (after outText); returns what stream.write returned (false: wait for 'drain'). */
export function writeText(sink: Sink, text: string): boolean {
	return sink.write(outText(text));
}

/** Writes text ending in exactly one newline. */
export function writeLine(sink: Sink, text: string): boolean {
	return sink.write(outText(text).replace(/\n?$/, '\n'));
}

export function writeJson(sink: Sink, value: unknown, space?: number): boolean {
	return sink.write(outJson(value, space) + '\n');
}

/** `opsdeck: message` on one line, the form every error and warning takes on stderr. */
export function writeError(sink: Sink, message: string): boolean {
	return sink.write(`opsdeck: ${outLine(message)}\n`);
}
