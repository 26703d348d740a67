import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { silentLogger } from '../../../src/core/logger';
import type { RunningServers } from '../../../src/core/servers/api';
import { startTestServers } from '../../support/embedded';
import { EXAMPLE_ROLLOUTS_PATH, EXAMPLE_ROLLOUTS_TASKS_PATH, replayRecordedRollouts, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';

interface Item { type: string; call_id?: string; output?: string; name?: string; arguments?: string }
interface Rollout { reward: number; response: { output: Item[] }; responses_create_params: { input: Array<{ content: string }> }; _ng_task_index: number; _ng_rollout_index: number; agent_ref: { name: string } }

const recorded = readJsonl<Rollout>(EXAMPLE_ROLLOUTS_PATH);
const userText = (r: Rollout) => r.responses_create_params.input.at(-1)!.content;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setUp(modelConfig: string): Promise<{ fake: FakeOpenAIServer; servers: RunningServers }> {
  const fake = await startFakeOpenAIServer({ script: replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH), apiKey: 'sk-test-recorded-0123456789' });
  cleanups.push(() => fake.close());
  const servers = await startTestServers({ configs: [modelConfig, 'configs/workplace_assistant.yaml'], policyBaseUrl: fake.url, policyApiKey: 'sk-test-recorded-0123456789', policyModelName: 'gpt-4.1-2025-04-14' });
  cleanups.push(() => servers.stop());
  return { fake, servers };
}

describe.each([
  ['Responses API', 'configs/openai_model.yaml'],
  ['Chat Completions adapter', 'configs/chat_completions_model.yaml'],
])('collecting the recorded rollouts through the real openai SDK (%s)', (_label, modelConfig) => {
  it('reproduces the recorded tool outputs and rewards (0, 1, 1, 1, 1)', async () => {
    const { fake, servers } = await setUp(modelConfig);
    const dir = mkdtempSync(join(tmpdir(), 'gym-collect-'));
    const output = join(dir, 'rollouts.jsonl');
    const summary = await collectRollouts(
      { inputJsonlPath: EXAMPLE_ROLLOUTS_TASKS_PATH, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: 5 },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    expect(summary.failed).toBe(0);
    expect(summary.done).toBe(5);
    const rollouts = readJsonl<Rollout>(output);
    expect(rollouts).toHaveLength(5);
    const byTask = [...rollouts].sort((a, b) => a._ng_task_index - b._ng_task_index);
    expect(byTask.map((r) => r.reward)).toEqual([0, 1, 1, 1, 1]);
    for (const rollout of byTask) {
      const original = recorded.find((r) => userText(r) === userText(rollout))!;
      const outputs = (items: Item[]) => items.filter((i) => i.type === 'function_call_output').map((i) => i.output);
      expect(outputs(rollout.response.output)).toEqual(outputs(original.response.output));
      expect(rollout.agent_ref).toEqual({ name: 'workplace_assistant_simple_agent' });
    }
    expect(readFileSync(output, 'utf8')).toContain('"reward":1.0');
    const metrics = JSON.parse(readFileSync(summary.aggregateMetricsPath, 'utf8')) as Array<{ agent_ref: { name: string }; key_metrics: Record<string, number> }>;
    expect(metrics[0]!.agent_ref.name).toBe('workplace_assistant_simple_agent');
    expect(metrics[0]!.key_metrics['mean/reward']).toBeCloseTo(0.8, 10);
    expect(readJsonl(summary.materializedInputsPath)).toHaveLength(5);
    expect(fake.requests.every((r) => r.authorization === 'matched')).toBe(true);
  });
});
