import type {ReactNode} from 'react';

export type TabProps = {
	/** this tab is shown and has the keyboard (no dialog or help over it) */
	readonly isActive: boolean;
	/** this tab is the one on screen (it may be covered by the help overlay) */
	readonly isVisible: boolean;
	readonly width: number;
	/** of the tab's body; the bottom bar its screen draws (TabScreen) takes one more row */
	readonly height: number;
};

/** A tab: its keys live in its keymap (tabs/<tab>/keymap.ts), drawn by the TabScreen it renders. */
export type TabDefinition = {
	readonly id: 'status' | 'keys' | 'monitor' | 'backups' | 'postgres' | 'redis' | 'logs';
	readonly title: string;
	readonly Component: (props: TabProps) => ReactNode;
};
