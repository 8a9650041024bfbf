import type {ReactNode} from 'react';
import type {HelpSection} from '../components/help.js';

export type TabProps = {
	/** this tab is shown and has the keyboard (no dialog or help over it) */
	readonly isActive: boolean;
	/** this tab is the one on screen (it may be covered by the help overlay) */
	readonly isVisible: boolean;
	readonly width: number;
	readonly height: number;
};

export type TabDefinition = {
	readonly id: 'status' | 'keys' | 'monitor' | 'backups';
	readonly title: string;
	readonly Component: (props: TabProps) => ReactNode;
	/** the keys of this tab, for the `?` help */
	readonly help: HelpSection;
};
