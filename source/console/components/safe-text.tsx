// <Text> for anything a server, a file or an operator supplied: it takes only Safe strings (made by
// sanitize(), the format helpers or the `safe` tag), so the compiler rejects a raw key name, row or
// error message here (issue 14, case 1). Plain <Text> stays for the console's own words.
import {Text, type TextProps} from 'ink';
import type {Safe} from '../../text/sanitize.js';

type Props = Omit<TextProps, 'children'> & {readonly children: Safe | readonly Safe[] | null | undefined};

export function SafeText({children, ...props}: Props) {
	return <Text {...props}>{children}</Text>;
}
