/**
 * Workplace environment figures: verifications per second (2–5-call rollouts from the WorkBench ground truths,
 * half of them correct and half wrong in typical ways) and the memory of 10,000 live sessions that each wrote twice.
 * Run: node scripts/run-bench.mjs bench/workplace_env.bench.ts [tasks.jsonl or .jsonl.gz] (default: the WorkBench tasks)
 */
import { availableParallelism, cpus } from 'node:os';
import { createWorkplaceEnvironment, loadWorkplaceTables, type WorkplaceSession } from '../src/core/environments/workplace';
import { parsePythonJson } from '../src/core/python/json_parse';
import { isPyDict, type PyDict } from '../src/core/python/value';
import { WORKPLACE_TABLES_DIR } from './support/data';
import { readTasks, rolloutsFrom } from './support/verify_workload';

function body(json: string): PyDict {
  const value = parsePythonJson(json);
  if (!isPyDict(value)) throw new Error('not an object');
  return value;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const tables = await loadWorkplaceTables(WORKPLACE_TABLES_DIR);
  const env = createWorkplaceEnvironment(tables);
  const rollouts = rolloutsFrom(readTasks(process.argv[2]));
  const calls = rollouts.reduce((sum, r) => sum + r.predicted.length + r.groundTruth.length, 0);
  console.log(`cores (os.availableParallelism): ${availableParallelism()}  cpu: ${cpus()[0]?.model ?? 'unknown'}`);
  console.log(`rollouts: ${rollouts.length} (mean ${(calls / rollouts.length / 2).toFixed(2)} calls per side)`);

  collectGarbage();
  const before = process.memoryUsage();
  const sessions: WorkplaceSession[] = [];
  for (let i = 0; i < 10_000; i++) {
    const session = env.newSession();
    await env.callToolRoute(session, 'email_send_email', body(`{"recipient": "user${i}@x.com", "subject": "Hello ${i}", "body": "Body"}`));
    await env.callToolRoute(session, 'customer_relationship_manager_update_customer', body(`{"customer_id": "000000${String(i % 100).padStart(2, '0')}", "field": "status", "new_value": "Won"}`));
    sessions.push(session);
  }
  collectGarbage();
  const after = process.memoryUsage();
  console.log(
    `10,000 sessions with 2 writes each: rss ${megabytes(after.rss)} (was ${megabytes(before.rss)}), heap used +${megabytes(after.heapUsed - before.heapUsed)} (${((after.heapUsed - before.heapUsed) / sessions.length / 1024).toFixed(1)} KB per session)`,
  );
  sessions.length = 0;

  let rewardSum = 0;
  for (const r of rollouts) rewardSum += (await env.verify(r.predicted, r.groundTruth)).reward; // warm-up
  const started = process.hrtime.bigint();
  let verified = 0;
  while (process.hrtime.bigint() - started < 3_000_000_000n) {
    for (const r of rollouts) {
      const result = env.verify(r.predicted, r.groundTruth);
      rewardSum += (result instanceof Promise ? await result : result).reward;
      verified++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`verifications: ${verified} in ${seconds.toFixed(2)} s = ${Math.round(verified / seconds)} /s on one thread (mean reward ${(rewardSum / (verified + rollouts.length)).toFixed(2)})`);
}

void main();
