/**
 * Collection throughput (issue 3): 2,000 rollouts of 4 model turns and 3 tool calls each against a zero-latency
 * upstream (in its own process), at num_samples_in_parallel=64, through the real stack: collector → agent
 * server → model server (openai SDK) → upstream, tools on the resources server, /verify. Prints rollouts/s,
 * the overhead per model turn (sequential rollouts: wall time / turns; the upstream answers in ~0 ms), and
 * peak RSS. Usage: node scripts/run-bench.mjs bench/collect.bench.ts [rollouts] [parallel]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { collectRollouts } from '../src/core/collect/collect';
import { silentLogger } from '../src/core/logger';
import { startEmbeddedServers } from '../src/core/servers/embedded';
import { WORKPLACE_TOOL_SCHEMAS } from '../src/core/environments/workplace/tool_schemas';
import { startBundledChild } from './support/child';
import { WORKPLACE_TABLES_DIR } from './support/data';

const REPO = resolve(__dirname.includes('gym-bench-') ? process.cwd() : resolve(__dirname, '..'));
const rollouts = Number(process.argv[2] ?? 2000);
const parallel = Number(process.argv[3] ?? 64);

/** User + system CPU seconds of a process, from /proc (Linux). */
function childCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const upstream = await startBundledChild('bench/support/fake_upstream.ts');
  let peakRss = 0;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss > peakRss) [peakRss, atPeak] = [usage.rss, usage];
  }, 50);
  const servers = await startEmbeddedServers({
    argv: [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+policy_base_url=${upstream.firstLine}`,
      '+policy_api_key=bench-key',
      '+policy_model_name=bench-model',
      `+workplace_assistant_data_dir=${WORKPLACE_TABLES_DIR}`,
      '+head_server={host: 127.0.0.1, port: 11987}',
      '++policy_model.responses_api_models.openai_model.max_retries=0',
    ],
    cwd: REPO,
    env: {},
    installRoot: REPO,
  }, silentLogger);
  const dir = mkdtempSync(join(tmpdir(), 'gym-collect-bench-'));
  const tasks = join(dir, 'tasks.jsonl');
  const row = (id: number) => JSON.stringify({
    id,
    responses_create_params: { input: [{ role: 'system', content: 'bench' }, { role: 'user', content: `task ${id}` }], tools: WORKPLACE_TOOL_SCHEMAS, parallel_tool_calls: false, temperature: 1.0 },
    ground_truth: [],
    category: 'workplace_assistant_bench',
    environment_name: 'workplace_assistant',
  });
  writeFileSync(tasks, Array.from({ length: rollouts }, (_, i) => row(i)).join('\n') + '\n');

  // Overhead per model turn: sequential rollouts, each one's wall time divided by its 4 model turns.
  const perTurn: number[] = [];
  const sequentialTasks = join(dir, 'seq.jsonl');
  writeFileSync(sequentialTasks, Array.from({ length: 200 }, (_, i) => row(i)).join('\n') + '\n');
  await collectRollouts(
    { inputJsonlPath: sequentialTasks, outputJsonlPath: join(dir, 'seq_rollouts.jsonl'), agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: 1 },
    { headServerUrl: servers.headServerUrl },
    { onProgress: (progress) => progress.recent.forEach((outcome) => perTurn.push((outcome.durationMs ?? 0) / 4)) },
    silentLogger,
  );
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const upstreamCpuBefore = childCpuSeconds(upstream.child.pid!);
  const summary = await collectRollouts(
    { inputJsonlPath: tasks, outputJsonlPath: join(dir, 'rollouts.jsonl'), agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: parallel },
    { headServerUrl: servers.headServerUrl },
    {},
    silentLogger,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const beforeGc = process.memoryUsage();
  (globalThis as { gc?: () => void }).gc?.();
  const afterGc = process.memoryUsage();
  const upstreamCpu = childCpuSeconds(upstream.child.pid!) - upstreamCpuBefore;
  clearInterval(sampler);
  await servers.stop();
  upstream.child.kill('SIGTERM');
  perTurn.sort((a, b) => a - b);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
  console.log(`rollouts: ${summary.done} done, ${summary.failed} failed, 4 model turns + 3 tool calls each, parallel ${parallel}`);
  console.log(`throughput: ${(summary.done / seconds).toFixed(0)} rollouts/s (${seconds.toFixed(2)} s)`);
  console.log(`overhead per model turn (sequential, upstream ~0 ms): p50 ${percentile(perTurn, 50).toFixed(3)} ms, p99 ${percentile(perTurn, 99).toFixed(3)} ms`);
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
  console.log(`peak RSS: ${mb(peakRss)} (then: heap ${mb(atPeak.heapUsed)} used of ${mb(atPeak.heapTotal)}, external ${mb(atPeak.external)}, array buffers ${mb(atPeak.arrayBuffers)}; at the end: heap ${(beforeGc.heapUsed / 2 ** 20).toFixed(0)} MB used, ${(afterGc.heapUsed / 2 ** 20).toFixed(0)} MB live after a full GC; RSS ${(afterGc.rss / 2 ** 20).toFixed(0)} MB)`);
  console.log(`CPU during the timed run: ours ${((cpu.user + cpu.system) / 1e6 / seconds * 100).toFixed(0)}% of a core, the fake upstream ${(upstreamCpu / seconds * 100).toFixed(0)}%`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
