// The console's tabs in their order, by title: what `opsdeck help` lists and what console/app.tsx's
// tab list must match (test/commands/help.test.ts holds the two together). Kept apart from app.tsx so
// the help text does not load Ink and React.
export const tabTitles = ['Status', 'Keys', 'Monitor', 'Backups', 'Postgres', 'Redis', 'Logs'] as const;
