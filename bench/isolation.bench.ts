/**
 * Issue #8, item 1: does a model's catastrophic regular expression still hurt anyone else? Prints, with the
 * machine's core count:
 *  (a) another session's tool-call latency (p50/p99/max) while N sessions send pathological patterns without
 *      pause, with the resources server in its own process (over HTTP) and in this process (in-process
 *      transport, the way ng_run's servers talk), next to the same figures on a quiet server;
 *  (b) verifications per second on one thread and tool calls per second over HTTP with keep-alive (the
 *      workloads of workplace_env.bench.ts and resources_http.bench.ts, for comparison with main);
 *  (c) whether the second core helps: searches with quantified patterns (legitimate, but too expensive in the
 *      worst case to run inline) through the worker pool vs all inline on the main thread.
 * Usage: node scripts/run-bench.mjs bench/isolation.bench.ts [seconds per phase] [hostile sessions]
 */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { createWorkplaceEnvironment, loadWorkplaceTables, type WorkplaceEnvironment } from '../src/core/environments/workplace';
import { silentLogger } from '../src/core/logger';
import { parsePythonJson } from '../src/core/python/json_parse';
import { RegexGuard } from '../src/core/python/regex_guard';
import { isPyDict, type PyDict } from '../src/core/python/value';
import { HttpClient } from '../src/core/servers/http/http_client';
import { createWorkplaceResourcesServer } from '../src/core/servers/resources/workplace_resources_server';
import { startBundledChild } from './support/child';
import { WORKPLACE_TABLES_DIR } from './support/data';
import { readTasks, rolloutsFrom } from './support/verify_workload';

const seconds = Number(process.argv[2] ?? 5);
const hostileSessions = Number(process.argv[3] ?? 4);
const CSV = WORKPLACE_TABLES_DIR;

/** What an ordinary session asks (all answered inline). */
const ORDINARY: Array<[string, string]> = [
  ['company_directory_find_email_address', '{"name":"nadia"}'],
  ['email_search_emails', '{"query":"kofi","page_size":2}'],
  ['calendar_search_events', '{"query":"sync","page_size":3}'],
  ['customer_relationship_manager_search_customers', '{"status":"Lead","page_size":3}'],
  ['project_management_search_tasks', '{"board":"Design","list_name":"Backlog"}'],
];

/** What a hostile (exploring) policy sends: each would freeze NeMo Gym. */
const PATHOLOGICAL: Array<[string, string]> = [
  ['calendar_search_events', '{"query":"^((.)+)+#"}'],
  ['company_directory_find_email_address', '{"name":"^(([a-z.@])+)+#"}'],
  ['calendar_search_events', '{"query":"^((.)+)+\\\\2#"}'],
  ['customer_relationship_manager_search_customers', '{"customer_email":"(\\\\w+\\\\W?)+#"}'],
  ['calendar_search_events', '{"query":".*.*.*.*.*.*x"}'],
];

/** Legitimate searches whose worst case is too big to run inline: they go to the worker pool. */
const QUANTIFIED: Array<[string, string]> = [
  ['calendar_search_events', '{"query":"a.*e.*o","page_size":3}'],
  ['customer_relationship_manager_search_customers', '{"customer_name":"(\\\\w+\\\\s?)+$","page_size":3}'],
  ['project_management_search_tasks', '{"task_name":"(de|re)+.*s"}'],
  ['company_directory_find_email_address', '{"name":"^(([a-z])+\\\\.)+[a-z]+@"}'],
];

/** Legitimate searches that really take milliseconds each (polynomial backtracking over every row). */
const HEAVY: Array<[string, string]> = [
  ['calendar_search_events', '{"query":".*e.*e.*e.*z"}'],
  ['calendar_search_events', '{"query":"(.*a){3}z"}'],
  ['project_management_search_tasks', '{"task_name":"(.*e){2}.*q"}'],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function latencyLine(label: string, latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `${label}: ${sorted.length} calls, p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} ms`;
}

/** User + system CPU seconds of a process, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

interface AttackFigures {
  other: number[];
  hostileAnswers: number;
  hostileStopped: number;
}

/** One ordinary session calling in a loop while `hostile` sessions send pathological patterns in loops. */
async function underAttack(client: HttpClient, url: string, hostile: number, durationMs: number): Promise<AttackFigures> {
  const seed = async () => (await client.post(`${url}/seed_session`, '{}')).setCookies;
  const figures: AttackFigures = { other: [], hostileAnswers: 0, hostileStopped: 0 };
  const deadline = performance.now() + durationMs;
  const attackers = Array.from({ length: hostile }, async (_, id) => {
    const cookies = await seed();
    let i = id;
    while (performance.now() < deadline) {
      const [name, args] = PATHOLOGICAL[i++ % PATHOLOGICAL.length]!;
      const answer = await client.post(`${url}/${name}`, args, { cookies });
      figures.hostileAnswers++;
      if (answer.bodyText.includes('was stopped after')) figures.hostileStopped++;
    }
  });
  const cookies = await seed();
  // Let the attack start before measuring.
  if (hostile > 0) await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
  let i = 0;
  while (performance.now() < deadline) {
    const [name, args] = ORDINARY[i++ % ORDINARY.length]!;
    const started = performance.now();
    const answer = await client.post(`${url}/${name}`, args, { cookies });
    figures.other.push(performance.now() - started);
    if (!answer.bodyText.startsWith('{"output":')) throw new Error(`unexpected answer ${answer.bodyText}`);
    // Real traffic comes from sockets: let the event loop turn between calls (in-process calls alone never do).
    await new Promise((resolvePromise) => setImmediate(resolvePromise));
  }
  await Promise.all(attackers);
  return figures;
}

async function partA(): Promise<void> {
  console.log(`\n(a) another session's latency while ${hostileSessions} sessions send pathological patterns (time limit 1 s)`);
  const child = await startBundledChild('bench/support/resources_server_process.ts', [CSV]);
  const http = new HttpClient({ maxSockets: hostileSessions + 4 });
  const quiet = await underAttack(http, child.firstLine, 0, seconds * 1000);
  console.log(`  ${latencyLine('over HTTP, quiet server', quiet.other)}`);
  const cpuBefore = processCpuSeconds(child.child.pid!);
  const startedAt = performance.now();
  const attacked = await underAttack(http, child.firstLine, hostileSessions, seconds * 1000);
  const cores = (processCpuSeconds(child.child.pid!) - cpuBefore) / ((performance.now() - startedAt) / 1000);
  console.log(`  ${latencyLine('over HTTP, under attack', attacked.other)}`);
  console.log(`    hostile calls answered: ${attacked.hostileAnswers} (${attacked.hostileStopped} stopped with the error); server process used ${cores.toFixed(2)} cores`);
  http.close();
  child.child.kill('SIGTERM');

  const tables = await loadWorkplaceTables(CSV);
  const server = createWorkplaceResourcesServer({ name: 'workplace_assistant', environment: createWorkplaceEnvironment(tables), logger: silentLogger });
  const url = await server.listen('127.0.0.1', 0);
  const inProcess = new HttpClient({ inProcess: true });
  const quietInProcess = await underAttack(inProcess, url, 0, seconds * 1000);
  console.log(`  ${latencyLine('in-process, quiet server', quietInProcess.other)}`);
  const attackedInProcess = await underAttack(inProcess, url, hostileSessions, seconds * 1000);
  console.log(`  ${latencyLine('in-process, under attack', attackedInProcess.other)}`);
  console.log(`    hostile calls answered: ${attackedInProcess.hostileAnswers} (${attackedInProcess.hostileStopped} stopped with the error)`);
  inProcess.close();
  await server.close();
}

async function verificationsPerSecond(env: WorkplaceEnvironment): Promise<number> {
  const rollouts = rolloutsFrom(readTasks());
  for (const r of rollouts) await env.verify(r.predicted, r.groundTruth); // warm-up
  const started = performance.now();
  let verified = 0;
  while (performance.now() - started < seconds * 1000) {
    for (const r of rollouts) {
      const result = env.verify(r.predicted, r.groundTruth);
      if (result instanceof Promise) await result;
      verified++;
    }
  }
  return verified / ((performance.now() - started) / 1000);
}

async function toolCallsPerSecond(url: string, calls: ReadonlyArray<readonly [string, string]>, concurrency: number, client: HttpClient, forSeconds = seconds): Promise<number> {
  let done = 0;
  const deadline = performance.now() + forSeconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, id) => {
      const cookies = (await client.post(`${url}/seed_session`, '{}')).setCookies;
      let i = id;
      while (performance.now() < deadline) {
        const [name, args] = calls[i++ % calls.length]!;
        const answer = await client.post(`${url}/${name}`, args, { cookies });
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.bodyText}`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** The call mix of resources_http.bench.ts. */
const MIXED: Array<[string, string]> = [
  ['company_directory_find_email_address', '{"name":"nadia"}'],
  ['email_search_emails', '{"query":"kofi","page_size":2}'],
  ['calendar_search_events', '{"query":"sync","page_size":3}'],
  ['email_get_email_information_by_id', '{"email_id":"00000057","field":"subject"}'],
  ['customer_relationship_manager_search_customers', '{"status":"Lead","page_size":3}'],
  ['project_management_search_tasks', '{"board":"Design","list_name":"Backlog"}'],
  ['analytics_total_visits_count', '{"time_min":"2023-11-01","time_max":"2023-11-30"}'],
  ['project_management_update_task', '{"task_id":"00000027","field":"list_name","new_value":"In Progress"}'],
];

async function partB(): Promise<void> {
  console.log('\n(b) throughput without hostile traffic');
  const env = createWorkplaceEnvironment(await loadWorkplaceTables(CSV));
  console.log(`  verifications: ${Math.round(await verificationsPerSecond(env))}/s on one thread (workplace_env workload)`);
  const child = await startBundledChild('bench/support/resources_server_process.ts', [CSV]);
  const client = new HttpClient({ maxSockets: 64 });
  console.log(`  tool calls over HTTP (keep-alive, 64 sessions, server in its own process): ${Math.round(await toolCallsPerSecond(child.firstLine, MIXED, 64, client))}/s`);
  client.close();
  child.child.kill('SIGTERM');
}

async function partC(): Promise<void> {
  console.log('\n(c) does the second core help? Searches too expensive in the worst case to run inline, in-process, 8 sessions');
  const tables = await loadWorkplaceTables(CSV);
  for (const [workload, calls] of [
    ['light (quick in practice)', QUANTIFIED],
    ['heavy (milliseconds each)', HEAVY],
  ] as const) {
    for (const [label, guard] of [
      ['all inline on the main thread', new RegexGuard({ inlineStepLimit: Infinity })],
      ['through the worker pool', new RegexGuard()],
    ] as const) {
      const server = createWorkplaceResourcesServer({ name: 'workplace_assistant', environment: createWorkplaceEnvironment(tables), logger: silentLogger, regexGuard: guard });
      const url = await server.listen('127.0.0.1', 0);
      const client = new HttpClient({ inProcess: true });
      await toolCallsPerSecond(url, calls, 8, client, 1); // warm-up (workers start)
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const rate = await toolCallsPerSecond(url, calls, 8, client);
      const cpu = process.cpuUsage(cpuBefore);
      const cores = (cpu.user + cpu.system) / 1e6 / ((performance.now() - started) / 1000);
      console.log(`  ${workload}, ${label}: ${Math.round(rate)} calls/s, process CPU ${cores.toFixed(2)} cores`);
      client.close();
      await server.close();
      await guard.close();
    }
  }
}

/** A check that the quantified searches really are offloaded and answer like inline ones. */
function checkQuantifiedAreOffloaded(env: WorkplaceEnvironment): void {
  const session = env.newSession();
  for (const [name, args] of [...QUANTIFIED, ...HEAVY]) {
    const body = parsePythonJson(args);
    if (!isPyDict(body)) throw new Error('not an object');
    const answer = env.callToolRoute(session, name, body as PyDict);
    if (!(answer instanceof Promise)) throw new Error(`${name} ${args} ran inline`);
    void answer;
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${seconds} s per phase`);
  checkQuantifiedAreOffloaded(createWorkplaceEnvironment(await loadWorkplaceTables(CSV)));
  await partA();
  await partB();
  await partC();
  process.exit(0);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
