import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { silentLogger } from '../../../src/core/logger';
import { runCli } from '../../support/cli';
import { startTestServers } from '../../support/embedded';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

interface Row {
  id: number;
  responses_create_params: { input: Array<{ role: string; content: string }> };
  ground_truth: Array<{ name: string; arguments: string }>;
  category: string;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gym-generate-'));
}

describe('ng_generate_tasks', () => {
  it('writes the tasks and <stem>_report.json, prints the report, and the same seed gives the same file', async () => {
    const dir = tempDir();
    const args = (file: string) => [`+output_jsonl_fpath=${file}`, '+num_tasks=60', '+seed=5', `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`];
    const first = await runCli('ng_generate_tasks', args(join(dir, 'a.jsonl')), { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/kept 60 of \d+ candidates/);
    expect(first.stdout).toContain('rejections: unknown_id');
    const report = JSON.parse(readFileSync(join(dir, 'a_report.json'), 'utf8')) as { kept: number; no_action_tasks: number; by_category: Record<string, number>; rejections: Record<string, number> };
    expect(report.kept).toBe(60);
    expect(report.no_action_tasks).toBe(9);
    expect(Object.keys(report.rejections)).toEqual(['unknown_id', 'ambiguous_description', 'tool_error', 'no_change', 'redundant_call', 'duplicate_task']);
    const second = await runCli('gym', ['dataset', 'generate', '-o', join(dir, 'b.jsonl'), '-n', '60', '--seed', '5', `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'a.jsonl'), 'utf8'));
  });

  it('names the option in its errors', async () => {
    const dir = tempDir();
    const missing = await runCli('ng_generate_tasks', [`+output_jsonl_fpath=${join(dir, 'x.jsonl')}`], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('+num_tasks is required');
    const share = await runCli('ng_generate_tasks', [`+output_jsonl_fpath=${join(dir, 'x.jsonl')}`, '+num_tasks=3', '+no_action_share=1.5'], { cwd: dir });
    expect(share.stderr).toContain('+no_action_share should be a number from 0 to 1');
    const paraphrase = await runCli('ng_generate_tasks', [`+output_jsonl_fpath=${join(dir, 'x.jsonl')}`, '+num_tasks=3', '+paraphrase=true'], { cwd: dir });
    expect(paraphrase.code).toBe(1);
    expect(paraphrase.stderr).toContain('+paraphrase=true needs +policy_base_url');
    const misspelt = await runCli('ng_generate_tasks', [`+output_jsonl_fpath=${join(dir, 'x.jsonl')}`, '+num_taks=3'], { cwd: dir });
    expect(misspelt.stderr).toContain('Did you mean +num_tasks?');
  });

  it('the oracle agent scores 1.0 on every generated task through the real collector', async () => {
    const dir = tempDir();
    const generated = await runCli('ng_generate_tasks', [`+output_jsonl_fpath=${join(dir, 'tasks.jsonl')}`, '+num_tasks=80', '+seed=11', `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    const servers = await startTestServers({ configs: ['configs/workplace_assistant.yaml'] });
    cleanups.push(() => servers.stop());
    const summary = await collectRollouts(
      { inputJsonlPath: join(dir, 'tasks.jsonl'), outputJsonlPath: join(dir, 'oracle.jsonl'), agentName: 'workplace_assistant_oracle_agent' },
      { headServerUrl: servers.headServerUrl },
      {},
      silentLogger,
    );
    const rollouts = readJsonl<{ reward: number; ground_truth: unknown[] }>(join(dir, 'oracle.jsonl'));
    expect(rollouts).toHaveLength(80);
    expect(rollouts.filter((rollout) => rollout.reward !== 1)).toEqual([]);
    expect(rollouts.some((rollout) => rollout.ground_truth.length === 0)).toBe(true);
    expect(summary.meanReward).toBe(1);
  });

  it('+paraphrase=true rewrites through the policy endpoint and keeps a rewrite only when every entity survives', async () => {
    const dir = tempDir();
    const key = 'sk-generate-test-0123456789';
    let request = 0;
    const fake: FakeOpenAIServer = await startFakeOpenAIServer({
      apiKey: key,
      script: (req) => {
        request += 1;
        // Every other answer keeps the query (with a new opening); the rest lose its entities.
        const text = request % 2 === 1 ? `Hi there - ${req.userText ?? ''}` : 'Please do the usual thing.';
        return { items: [{ type: 'message', text }] };
      },
    });
    cleanups.push(() => fake.close());
    const result = await runCli(
      'ng_generate_tasks',
      [
        `+output_jsonl_fpath=${join(dir, 'p.jsonl')}`,
        '+num_tasks=12',
        '+seed=3',
        '+paraphrase=true',
        '+paraphrase_concurrency=1',
        `+policy_base_url=${fake.url}`,
        '+policy_model_name=test-model',
        '+policy_api_key=${oc.env:GEN_TEST_KEY}',
        `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      ],
      { cwd: dir, env: { GEN_TEST_KEY: key } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(key);
    expect(fake.modelRequests()).toHaveLength(12);
    expect(fake.modelRequests().every((r) => r.authorization === 'matched')).toBe(true);
    const rows = readJsonl<Row>(join(dir, 'p.jsonl'));
    const rewritten = rows.filter((row) => row.responses_create_params.input[1]!.content.startsWith('Hi there - '));
    expect(rewritten).toHaveLength(6);
    expect(rows.some((row) => row.responses_create_params.input[1]!.content === 'Please do the usual thing.')).toBe(false);
    const report = JSON.parse(readFileSync(join(dir, 'p_report.json'), 'utf8')) as { paraphrase: Record<string, unknown> };
    expect(report.paraphrase).toEqual({ enabled: true, rewritten: 6, paraphrase_rejected: 6, failed: 0 });
    expect(result.stdout).toContain('paraphrase: 6 rewritten, 6 rejected');
    // The ground truths are the unparaphrased run's.
    const plain = await runCli('ng_generate_tasks', [`+output_jsonl_fpath=${join(dir, 'q.jsonl')}`, '+num_tasks=12', '+seed=3', `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(readJsonl<Row>(join(dir, 'q.jsonl')).map((row) => row.ground_truth)).toEqual(rows.map((row) => row.ground_truth));
  });
});
