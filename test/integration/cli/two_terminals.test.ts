import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/core/servers/http/http_client';
import { CliProcess, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

/**
 * The README's workflow exactly as written: `ng_run` in one terminal (default head server 127.0.0.1:11000),
 * `ng_collect_rollouts` in another. This is the only test file that uses port 11000.
 */
// Built at run time so no key-shaped literal is tracked.
const SECRET = ['nvapi', 'test', 'SECRET', 'value', '8f3a9c2e7d'].join('-');

describe('ng_run + ng_collect_rollouts, as written', () => {
  let fake: FakeOpenAIServer;
  let ngRun: CliProcess;
  const dir = mkdtempSync(join(tmpdir(), 'gym-two-'));
  const env = { NVIDIA_API_KEY: SECRET, WORKPLACE_CSV: WORKPLACE_CSV_DIR };

  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH), apiKey: SECRET });
    ngRun = new CliProcess('ng_run', [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+policy_base_url=${fake.url}`,
      `+policy_api_key=${SECRET}`,
      '+policy_model_name=openai/gpt-oss-120b',
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
    ], { env });
    await ngRun.waitFor(/All 5 \/ 5 servers ready/);
  });

  afterAll(async () => {
    await ngRun?.stop('SIGKILL');
    await fake?.close();
  });

  it('prints one line per server with its URL', () => {
    for (const name of ['head_server', 'policy_model', 'workplace_assistant', 'workplace_assistant_simple_agent', 'workplace_assistant_oracle_agent']) {
      expect(ngRun.stdout).toMatch(new RegExp(`^${name}\\s+http://127\\.0\\.0\\.1:\\d+`, 'm'));
    }
    expect(ngRun.stdout).toMatch(/^head_server\s+http:\/\/127\.0\.0\.1:11000/m);
  });

  it('collects with the seed workflow\'s own overrides, mapping max_tokens with a notice', async () => {
    const output = join(dir, 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', [
      '+agent_name=workplace_assistant_simple_agent',
      `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
      `+output_jsonl_fpath=${output}`,
      '+limit=5',
      '+num_repeats=4',
      '+num_samples_in_parallel=10',
      '+responses_create_params={temperature: 0.7, max_tokens: 2048}',
    ], { env });
    expect(result.stderr + result.stdout).toContain('max_output_tokens');
    expect(result.code, result.stderr).toBe(0);
    const rollouts = readJsonl<{ reward: number; _ng_task_index: number; _ng_rollout_index: number; responses_create_params: Record<string, unknown> }>(output);
    expect(rollouts).toHaveLength(20);
    expect(rollouts.every((r) => r.reward === 1)).toBe(true);
    expect(new Set(rollouts.map((r) => `${r._ng_task_index}:${r._ng_rollout_index}`)).size).toBe(20);
    expect(rollouts[0]!.responses_create_params.max_output_tokens).toBe(2048);
    expect(rollouts[0]!.responses_create_params.temperature).toBe(0.7);
    const sent = fake.modelRequests().map((r) => r.body as Record<string, unknown>);
    expect(sent.every((body) => body.max_output_tokens === 2048 && body.model === 'openai/gpt-oss-120b')).toBe(true);
    expect(result.stdout).toContain('mean reward');
  });

  it('ng_status lists every server as healthy', async () => {
    const result = await runCli('ng_status', [], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // As NeMo Gym lists its own: the servers ng_run started (not the head server), by config key and implementation.
    expect(result.stdout).toContain('4 servers found (4 healthy, 0 unhealthy)');
    expect(result.stdout).toContain('✓ policy_model (responses_api_models/openai_model)');
    expect(result.stdout).toContain('✓ workplace_assistant_simple_agent (responses_api_agents/simple_agent)');
  });

  it('the head server serves the config double-encoded, with the key masked', async () => {
    const client = new HttpClient();
    const answer = await client.get('http://127.0.0.1:11000/global_config_dict_yaml');
    client.close();
    const yaml = JSON.parse(answer.bodyText) as string;
    expect(typeof yaml).toBe('string');
    expect(yaml).toContain('workplace_assistant_simple_agent');
    expect(yaml).not.toContain(SECRET);
    expect(yaml).toContain('****');
  });

  it('the secret appears in no output file, no log line and no ng_dump_config output', async () => {
    const dump = await runCli('ng_dump_config', ['+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]', `+policy_base_url=${fake.url}`, `+policy_api_key=${SECRET}`, '+policy_model_name=m'], { env });
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('openai_api_key');
    expect(dump.stdout).toContain('max_retries');
    for (const text of [dump.stdout, dump.stderr, ngRun.stdout, ngRun.stderr]) expect(text).not.toContain(SECRET);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), 'utf8'), file).not.toContain(SECRET);
  });

  it('stops cleanly on SIGINT', async () => {
    const result = await ngRun.stop('SIGINT');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('All servers stopped.');
  });
});
