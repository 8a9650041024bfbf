// A session's query text is the app's SQL, and SQL can carry a password: `ALTER ROLE app PASSWORD
// 'x'`, `CREATE USER ... ENCRYPTED PASSWORD 'x'`, a dblink connection string. It is masked as soon
// as it is read, so neither the tab, a command's output, its JSON nor the audit log ever holds it.
// (Sanitizing for the terminal stays with the one writer and the tab's Safe text.)
import {mask} from '../text/mask.js';

// PASSWORD followed by a string literal: '…' with '' inside, E'…' with \' too, or $tag$…$tag$
const passwordLiteral = /(\bpassword\s+)(?:[eE]?'(?:[^'\\]|''|\\.)*'?|(\$[A-Za-z_0-9]*\$)[\s\S]*?(?:\2|$))/gi;

/** The query with password literals and connection-string passwords replaced by ***. */
export function maskQuery(query: string): string {
	const masked = /password/i.test(query) ? query.replace(passwordLiteral, "$1'***'") : query;
	return mask(masked);
}

/** One line for a list or the audit log: whitespace runs as one space, at most max characters. */
export function oneLine(query: string, max = 200): string {
	const line = query.replace(/\s+/g, ' ').trim();
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
