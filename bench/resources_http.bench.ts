/**
 * Tool calls per second over HTTP with keep-alive (issue 2): the resources server in its own process, 64
 * concurrent clients in this one, each on a seeded session calling a mix of read and write tools.
 * Usage: node scripts/run-bench.mjs bench/resources_http.bench.ts [seconds] [concurrency]
 */
import { cpus } from 'node:os';
import { HttpClient } from '../src/core/servers/http/http_client';
import { startBundledChild } from './support/child';
import { WORKPLACE_TABLES_DIR } from './support/data';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 64);
const CALLS: Array<[string, string]> = [
  ['company_directory_find_email_address', '{"name":"nadia"}'],
  ['email_search_emails', '{"query":"kofi","page_size":2}'],
  ['calendar_search_events', '{"query":"sync","page_size":3}'],
  ['email_get_email_information_by_id', '{"email_id":"00000057","field":"subject"}'],
  ['customer_relationship_manager_search_customers', '{"status":"Lead","page_size":3}'],
  ['project_management_search_tasks', '{"board":"Design","list_name":"Backlog"}'],
  ['analytics_total_visits_count', '{"time_min":"2023-11-01","time_max":"2023-11-30"}'],
  ['project_management_update_task', '{"task_id":"00000027","field":"list_name","new_value":"In Progress"}'],
];

async function main(): Promise<void> {
  const server = await startBundledChild('bench/support/resources_server_process.ts', [WORKPLACE_TABLES_DIR]);
  const url = server.firstLine;
  const client = new HttpClient({ maxSockets: concurrency });
  let calls = 0;
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async (id: number) => {
    const seed = await client.post(`${url}/seed_session`, '{}');
    const cookies = seed.setCookies;
    let i = id;
    while (performance.now() < deadline) {
      const [name, args] = CALLS[i++ % CALLS.length]!;
      const answer = await client.post(`${url}/${name}`, args, { cookies });
      if (answer.status !== 200 || !answer.bodyText.startsWith('{"output":')) errors += 1;
      calls += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  const elapsed = (performance.now() - started) / 1000;
  client.close();
  server.child.kill('SIGTERM');
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
  console.log(`tool calls over HTTP (keep-alive, ${concurrency} concurrent sessions, server in its own process): ${(calls / elapsed).toFixed(0)} calls/s over ${elapsed.toFixed(1)} s, ${errors} errors`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
