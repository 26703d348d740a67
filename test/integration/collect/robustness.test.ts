import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { silentLogger } from '../../../src/core/logger';
import type { RunningServers } from '../../../src/core/servers/api';
import { startTestServers } from '../../support/embedded';
import { EXAMPLE_ROLLOUTS_PATH, EXAMPLE_ROLLOUTS_TASKS_PATH, EXAMPLE_TASKS_PATH, replayRecordedRollouts, startFakeOpenAIServer, type FakeOpenAIServer, type Fault } from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';

interface Line { _ng_task_index: number; _ng_rollout_index: number; reward?: number; _ng_failure_class?: string; _ng_failure_message?: string; _ng_failure_terminal?: boolean; input_line?: number; field?: string }

const KEY = 'sk-robustness-test-key-5a6b7c8d9e';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function replayServers(extra: string[] = []): Promise<{ fake: FakeOpenAIServer; servers: RunningServers }> {
  const fake = await startFakeOpenAIServer({ script: replayRecordedRollouts(EXAMPLE_ROLLOUTS_PATH), apiKey: KEY });
  cleanups.push(() => fake.close());
  const servers = await startTestServers({
    configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'],
    policyBaseUrl: fake.url,
    policyApiKey: KEY,
    policyModelName: 'gpt-4.1-2025-04-14',
    extra: ['++policy_model.responses_api_models.openai_model.request_timeout_seconds=1', '++policy_model.responses_api_models.openai_model.max_retries=3', ...extra],
  });
  cleanups.push(() => servers.stop());
  return { fake, servers };
}

function keysOf(lines: Line[]): string[] {
  return lines.map((line) => `${line._ng_task_index}:${line._ng_rollout_index}`);
}

describe('collection robustness', () => {
  it('every injected fault ends with every rollout accounted for, exactly once', async () => {
    const { fake, servers } = await replayServers();
    const faults: Fault[] = [
      { kind: 'rate_limit', retryAfterSeconds: 0.05 },
      { kind: 'server_error' },
      { kind: 'service_unavailable' },
      { kind: 'drop_connection', when: 'before_headers' },
      { kind: 'drop_connection', when: 'mid_body' },
      { kind: 'slow', delayMs: 1500 },
      { kind: 'malformed_json' },
    ];
    // The first seven model requests each get one kind of fault, then a seeded random sprinkle of all of them.
    fake.setFaults({ byRequestIndex: Object.fromEntries(faults.map((fault, i) => [i, fault])), random: { probability: 0.15, faults, seed: 7 } });
    const dir = mkdtempSync(join(tmpdir(), 'gym-faults-'));
    const output = join(dir, 'rollouts.jsonl');
    const summary = await collectRollouts(
      { inputJsonlPath: EXAMPLE_ROLLOUTS_TASKS_PATH, outputJsonlPath: output, agentName: 'workplace_assistant_simple_agent', numRepeats: 3, numSamplesInParallel: 4, maxAttempts: 4 },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    const written = readJsonl<Line>(output);
    const failed = readJsonl<Line>(summary.failuresPath);
    const keys = [...keysOf(written), ...keysOf(failed)];
    expect(new Set(keys).size).toBe(15);
    expect(keys).toHaveLength(15);
    expect(summary.done + summary.failed).toBe(15);
    const faulted = new Set(fake.requests.filter((r) => r.fault).map((r) => r.fault));
    expect([...faulted].sort()).toEqual(['drop_connection', 'malformed_json', 'rate_limit', 'server_error', 'service_unavailable', 'slow']);
    const rewardsByTask = new Map<number, number>();
    for (const line of written) rewardsByTask.set(line._ng_task_index, line.reward!);
    expect([...rewardsByTask.entries()].sort(([a], [b]) => a - b).map(([, r]) => r)).toEqual([0, 1, 1, 1, 1].filter((_, task) => rewardsByTask.has(task)));
  });

  it('a 422 about a tool schema fails that rollout for good, naming the tool; the rest finish', async () => {
    const { fake, servers } = await replayServers();
    fake.setFaults({ byRequestIndex: { 0: { kind: 'tool_schema_error', status: 422, toolIndex: 2 } } });
    const dir = mkdtempSync(join(tmpdir(), 'gym-422-'));
    const summary = await collectRollouts(
      { inputJsonlPath: EXAMPLE_ROLLOUTS_TASKS_PATH, outputJsonlPath: join(dir, 'r.jsonl'), agentName: 'workplace_assistant_simple_agent', numSamplesInParallel: 1 },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    const failures = readJsonl<Line>(summary.failuresPath);
    expect(failures).toHaveLength(1);
    expect(failures[0]!._ng_failure_class).toBe('model_error');
    expect(failures[0]!._ng_failure_terminal).toBe(true);
    expect(failures[0]!._ng_failure_message).toMatch(/^The model endpoint .* answered HTTP 422 .*rejected tool 'email_search_emails' \(tools\[2\]\), field 'parameters'/);
    expect(summary.done).toBe(4);
    expect(readFileSync(summary.failuresPath, 'utf8')).not.toContain(KEY);
  });

  it('bad input rows stop the run before any model call, naming file, line and field', async () => {
    const { fake, servers } = await replayServers();
    const dir = mkdtempSync(join(tmpdir(), 'gym-bad-'));
    const rows = readFileSync(EXAMPLE_ROLLOUTS_TASKS_PATH, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const broken = join(dir, 'tasks.jsonl');
    writeFileSync(broken, [rows[0], '{"id": 9, "responses_create_params": ', '{"id": 10, "ground_truth": []}', JSON.stringify({ ...JSON.parse(rows[1]!), responses_create_params: { input: 42 } }), rows[2]].join('\n'));
    const attempt = collectRollouts(
      { inputJsonlPath: broken, outputJsonlPath: join(dir, 'out.jsonl'), agentName: 'workplace_assistant_simple_agent' },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    await expect(attempt).rejects.toThrow(/3 invalid rows/);
    await expect(attempt).rejects.toThrow(/tasks\.jsonl:2: /);
    await expect(attempt).rejects.toThrow(/tasks\.jsonl:3: .*responses_create_params/);
    await expect(attempt).rejects.toThrow(/tasks\.jsonl:4: .*responses_create_params\.input/);
    expect(fake.modelRequests()).toHaveLength(0);

    const skipped = await collectRollouts(
      { inputJsonlPath: broken, outputJsonlPath: join(dir, 'out.jsonl'), agentName: 'workplace_assistant_simple_agent', skipInvalidRows: true, numRepeats: 2 },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    const failures = readJsonl<Line>(skipped.failuresPath);
    expect(failures).toHaveLength(6);
    expect(failures.every((f) => f._ng_failure_class === 'invalid_row')).toBe(true);
    expect(failures.map((f) => f.input_line).sort()).toEqual([2, 2, 3, 3, 4, 4]);
    expect(readJsonl<Line>(join(dir, 'out.jsonl'))).toHaveLength(4);
    expect(new Set([...keysOf(failures), ...keysOf(readJsonl<Line>(join(dir, 'out.jsonl')))]).size).toBe(10);
  });

  it('an override that the strict schema rejects is reported before any model call', async () => {
    const { fake, servers } = await replayServers();
    const dir = mkdtempSync(join(tmpdir(), 'gym-override-'));
    await expect(collectRollouts(
      { inputJsonlPath: EXAMPLE_ROLLOUTS_TASKS_PATH, outputJsonlPath: join(dir, 'o.jsonl'), agentName: 'workplace_assistant_simple_agent', responsesCreateParams: { seed: 3 } },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    )).rejects.toThrow(/responses_create_params\.seed: Extra inputs are not permitted/);
    expect(fake.modelRequests()).toHaveLength(0);
  });

  it('the oracle agent scores 1.0 on every row of example.jsonl, with no model and no key', async () => {
    const servers = await startTestServers({ configs: ['configs/workplace_assistant.yaml'] });
    cleanups.push(() => servers.stop());
    expect(servers.notices?.join(' ')).toMatch(/workplace_assistant_simple_agent is not started/);
    const dir = mkdtempSync(join(tmpdir(), 'gym-oracle-'));
    const summary = await collectRollouts(
      { inputJsonlPath: EXAMPLE_TASKS_PATH, outputJsonlPath: join(dir, 'oracle.jsonl'), agentName: 'workplace_assistant_oracle_agent' },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    const rollouts = readJsonl<Line>(join(dir, 'oracle.jsonl'));
    expect(rollouts).toHaveLength(5);
    expect(rollouts.every((r) => r.reward === 1)).toBe(true);
    expect(summary.meanReward).toBe(1);
  });
});
