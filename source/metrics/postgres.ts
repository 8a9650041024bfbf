// PostgreSQL client connections by state (active, idle, idle in transaction, …), read on scrape
// with the query the Postgres tab's overview uses (one read of pg_stat_activity).
import {Gauge} from 'prom-client';
import {readOverview} from '../postgres/overview.js';
import type {Collector} from './collector.js';

export const postgresCollector: Collector = {
	name: 'postgres',
	create(registry, {backends}) {
		const connections = new Gauge({name: 'opsdeck_postgres_connections', help: 'PostgreSQL client connections by state (pg_stat_activity; "hidden": sessions this role may not see)', labelNames: ['state'], registers: [registry]});
		return async () => {
			try {
				const {byState} = await readOverview(backends.postgres);
				connections.reset();
				for (const [state, count] of Object.entries(byState)) connections.set({state}, count);
			} catch (error) {
				// a count from before PostgreSQL went away is not one to graph
				connections.reset();
				throw error;
			}
		};
	},
};
