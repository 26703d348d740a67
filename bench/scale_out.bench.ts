/**
 * Scale-out over policy endpoints (issue 10): 1, 2, 4 and 8 local endpoints, each serving at most C model requests
 * at once with L ms of latency (in their own process), one model server with the list `policy_base_url` in front of
 * them, the collector, the agent and the environment in this process. Prints rollouts/s, its ratio to the ideal
 * (N × the one-endpoint figure, and N × C / (4 L), the endpoints' own limit), how the rollouts were spread, and the
 * CPU our process spent per rollout (collector and servers).
 * Usage: node scripts/run-bench.mjs bench/scale_out.bench.ts [C=4] [L_ms=100] [seconds per point=10]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { collectRollouts } from '../src/core/collect/collect';
import type { EndpointReport } from '../src/core/collect/api';
import { silentLogger } from '../src/core/logger';
import { startEmbeddedServers } from '../src/core/servers/embedded';
import { WORKPLACE_TOOL_SCHEMAS } from '../src/core/environments/workplace/tool_schemas';
import { startBundledChild } from './support/child';
import { WORKPLACE_TABLES_DIR } from './support/data';

const REPO = resolve(__dirname.includes('gym-bench-') ? process.cwd() : resolve(__dirname, '..'));
const limit = Number(process.argv[2] ?? 4);
const latencyMs = Number(process.argv[3] ?? 100);
const secondsPerPoint = Number(process.argv[4] ?? 10);
const TURNS = 4;

/** User + system CPU seconds of a process, from /proc (Linux). */
function childCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function measure(endpoints: number, headPort: number): Promise<{ rps: number; cpuMsPerRollout: number; cpuShare: number; upstreamCpuShare: number; done: number; failed: number; reports: EndpointReport[] }> {
  const upstreams = await startBundledChild('bench/support/limited_upstreams.ts', [String(endpoints), String(limit), String(latencyMs)]);
  const servers = await startEmbeddedServers({
    argv: [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+policy_base_url=[${upstreams.firstLine}]`,
      '+policy_api_key=bench-key',
      '+policy_model_name=bench-model',
      `+workplace_assistant_data_dir=${WORKPLACE_TABLES_DIR}`,
      `+head_server={host: 127.0.0.1, port: ${headPort}}`,
      '++policy_model.responses_api_models.openai_model.max_retries=0',
    ],
    cwd: REPO,
    env: {},
    installRoot: REPO,
  }, silentLogger);
  const idealRps = (endpoints * limit * 1000) / (TURNS * latencyMs);
  const rollouts = Math.ceil(idealRps * secondsPerPoint);
  const dir = mkdtempSync(join(tmpdir(), 'gym-scale-bench-'));
  const tasks = join(dir, 'tasks.jsonl');
  const row = (id: number) => JSON.stringify({
    id,
    responses_create_params: { input: [{ role: 'system', content: 'bench' }, { role: 'user', content: `task ${id}` }], tools: WORKPLACE_TOOL_SCHEMAS, parallel_tool_calls: false, temperature: 1.0 },
    ground_truth: [],
    category: 'workplace_assistant_bench',
    environment_name: 'workplace_assistant',
  });
  writeFileSync(tasks, Array.from({ length: rollouts }, (_, i) => row(i)).join('\n') + '\n');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const upstreamCpuBefore = childCpuSeconds(upstreams.child.pid!);
  const summary = await collectRollouts(
    // Twice the endpoints' slots: a rollout leaves its slot between turns (tool calls), another one takes it.
    { inputJsonlPath: tasks, outputJsonlPath: join(dir, 'rollouts.jsonl'), agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: 2 * endpoints * limit },
    { headServerUrl: servers.headServerUrl },
    {},
    silentLogger,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const upstreamCpu = childCpuSeconds(upstreams.child.pid!) - upstreamCpuBefore;
  await servers.stop();
  upstreams.child.kill('SIGTERM');
  return { rps: summary.done / seconds, cpuMsPerRollout: (cpu.user + cpu.system) / 1000 / Math.max(1, summary.done), cpuShare: (cpu.user + cpu.system) / 1e6 / seconds, upstreamCpuShare: upstreamCpu / seconds, done: summary.done, failed: summary.failed, reports: summary.endpoints ?? [] };
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
  console.log(`each endpoint: at most ${limit} requests at once, ${latencyMs} ms each; ${TURNS} model turns + 3 tool calls per rollout; parallel = 2 × endpoints × ${limit}`);
  let one = 0;
  for (const [i, endpoints] of [1, 2, 4, 8].entries()) {
    const result = await measure(endpoints, 11960 + i);
    if (endpoints === 1) one = result.rps;
    const limitRps = (endpoints * limit * 1000) / (TURNS * latencyMs);
    const spread = result.reports.filter((r) => r.role === 'policy').map((r) => r.sessions).join('/');
    console.log(
      `${endpoints} endpoint${endpoints === 1 ? ' ' : 's'}: ${result.rps.toFixed(1)} rollouts/s (${result.done} done, ${result.failed} failed); ` +
        `${((result.rps / (endpoints * one)) * 100).toFixed(0)}% of ${endpoints} × one endpoint, ${((result.rps / limitRps) * 100).toFixed(0)}% of the endpoints' limit (${limitRps.toFixed(0)}/s); ` +
        `our CPU ${result.cpuMsPerRollout.toFixed(2)} ms per rollout (${(result.cpuShare * 100).toFixed(0)}% of a core; the endpoints' process ${(result.upstreamCpuShare * 100).toFixed(0)}%)${spread ? `; rollouts per endpoint ${spread}` : ''}`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
