/** The workplace resources server alone in its own process, over the tables in argv[2]; prints its URL on the first line. */
import { resolve } from 'node:path';
import { createWorkplaceEnvironment, loadWorkplaceTables } from '../../src/core/environments/workplace';
import { silentLogger } from '../../src/core/logger';
import { createWorkplaceResourcesServer } from '../../src/core/servers/resources/workplace_resources_server';

async function main(): Promise<void> {
  const tables = await loadWorkplaceTables(resolve(process.argv[2] ?? 'data/workplace_assistant'));
  const server = createWorkplaceResourcesServer({ name: 'workplace_assistant', environment: createWorkplaceEnvironment(tables), logger: silentLogger });
  process.stdout.write(`${await server.listen('127.0.0.1', 0)}\n`);
  setInterval(() => process.send?.({ rss: process.memoryUsage().rss }), 200).unref();
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

void main();
