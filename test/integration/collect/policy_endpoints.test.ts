import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { silentLogger } from '../../../src/core/logger';
import { HttpClient } from '../../../src/core/servers/http/http_client';
import type { RunningServers } from '../../../src/core/servers/api';
import { startTestServers } from '../../support/embedded';
import { describeRequest, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';
import { REPO_ROOT } from '../../support/paths';

const TASKS = join(REPO_ROOT, 'examples/workplace_assistant/tasks.jsonl');
const KEY = 'sk-endpoints-test-key-0a1b2c3d4e';

interface Line { _ng_task_index: number; _ng_rollout_index: number; reward?: number }
interface Stats { label: string; healthy: boolean; requests: number; errors: number; sessions: number; ejections: number }

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function twoEndpoints(retries = 2): Promise<{ fakes: FakeOpenAIServer[]; servers: RunningServers }> {
  const fakes = await Promise.all([0, 1].map(() => startFakeOpenAIServer({ script: oracleScript(TASKS), apiKey: KEY })));
  for (const fake of fakes) cleanups.push(() => fake.close());
  const servers = await startTestServers({
    configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'],
    policyApiKey: KEY,
    policyModelName: 'gpt-4.1-2025-04-14',
    extra: [`+policy_base_url=[${fakes.map((fake) => fake.url).join(',')}]`, `++policy_model.responses_api_models.openai_model.max_retries=${retries}`],
  });
  cleanups.push(() => servers.stop());
  return { fakes, servers };
}

/** The task a model request belongs to: its first user message (each task's is different). */
function userTextOf(fake: FakeOpenAIServer): string[] {
  return fake.modelRequests().map((request) => describeRequest(request.api!, request.body as Record<string, never>, 0).userText ?? '');
}

async function endpointStats(servers: RunningServers): Promise<Stats[]> {
  const client = new HttpClient({});
  try {
    const model = servers.servers.find((server) => server.kind === 'responses_api_models')!;
    const answer = await client.get(`${model.url}/endpoint_stats`);
    return (JSON.parse(answer.bodyText) as { endpoints: Stats[] }).endpoints;
  } finally {
    client.close();
  }
}

describe('a list of policy endpoints', () => {
  it('sends every turn of a rollout to one endpoint and spreads rollouts over both', async () => {
    const { fakes, servers } = await twoEndpoints();
    const output = join(mkdtempSync(join(tmpdir(), 'gym-endpoints-')), 'rollouts.jsonl');
    const summary = await collectRollouts(
      { inputJsonlPath: TASKS, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: 6 },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    expect(summary.done).toBe(12);
    const [a, b] = fakes.map(userTextOf) as [string[], string[]];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    // Every task here is one rollout with several turns (tool calls, then the answer): none is on both endpoints.
    const onA = new Set(a);
    expect(b.filter((text) => onA.has(text))).toEqual([]);
    expect(a.length + b.length).toBeGreaterThan(12);
    const stats = await endpointStats(servers);
    expect(stats.map((s) => s.label)).toEqual(fakes.map((fake) => fake.url));
    expect(stats.map((s) => s.requests)).toEqual([a.length, b.length]);
    expect(stats.every((s) => s.sessions >= 3)).toBe(true);
    expect(summary.endpoints?.filter((e) => e.role === 'policy').map((e) => e.requests)).toEqual([a.length, b.length]);
  });

  it('an endpoint killed mid-run is taken out, its rollouts finish on the other, every key exactly once', async () => {
    const { fakes, servers } = await twoEndpoints();
    for (const fake of fakes) fake.setFaults({ random: { probability: 1, faults: [{ kind: 'slow', delayMs: 100 }], seed: 1 } });
    const output = join(mkdtempSync(join(tmpdir(), 'gym-endpoints-kill-')), 'rollouts.jsonl');
    const run = collectRollouts(
      { inputJsonlPath: TASKS, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: 8 },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    const deadline = Date.now() + 60_000;
    while (fakes[1]!.modelRequests().length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const servedBeforeKill = fakes[1]!.modelRequests().length;
    await fakes[1]!.close();
    const summary = await run;
    const written = readJsonl<Line>(output);
    const failed = readJsonl<Line>(summary.failuresPath);
    const keys = [...written, ...failed].map((line) => `${line._ng_task_index}:${line._ng_rollout_index}`);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
    expect(summary.done).toBe(12);
    expect(servedBeforeKill).toBeGreaterThan(0);
    const stats = await endpointStats(servers);
    expect(stats[1]).toMatchObject({ healthy: false });
    expect(stats[1]!.ejections).toBeGreaterThan(0);
    // Rollouts that had started on the killed endpoint finished on the other one (one rollout per task here).
    const onKilled = new Set(userTextOf(fakes[1]!));
    expect(userTextOf(fakes[0]!).some((text) => onKilled.has(text))).toBe(true);
  });

  it('an endpoint that fails repeatedly is taken out; the rollouts end on the other one', async () => {
    const { fakes, servers } = await twoEndpoints(0);
    fakes[1]!.setFaults({ random: { probability: 1, faults: [{ kind: 'server_error' }], seed: 2 } });
    const output = join(mkdtempSync(join(tmpdir(), 'gym-endpoints-500-')), 'rollouts.jsonl');
    const summary = await collectRollouts(
      { inputJsonlPath: TASKS, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: 6, maxAttempts: 3 },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    expect(summary.done).toBe(12);
    const stats = await endpointStats(servers);
    expect(stats[1]!.ejections).toBeGreaterThan(0);
    expect(stats[1]!.errors).toBeGreaterThanOrEqual(3);
    expect(stats[0]!.errors).toBe(0);
  });
});
