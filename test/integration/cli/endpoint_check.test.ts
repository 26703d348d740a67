import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, fixedScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const KEY = ['nvapi', 'endpoint', 'check', 'key', '0123456789'].join('-');

/** ng_run and the one-command collector check the policy endpoint at start and say what is wrong. */
describe('the policy endpoint is checked at start', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: fixedScript(), apiKey: KEY, models: ['openai/gpt-oss-120b', 'openai/gpt-oss-20b'] });
  });
  afterAll(async () => fake?.close());

  async function ngRunArgs(baseUrl: string, model: string, extra: string[] = []): Promise<string[]> {
    return [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
      `+policy_base_url=${baseUrl}`,
      '+policy_api_key=${oc.env:POLICY_KEY,""}',
      `+policy_model_name=${model}`,
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      ...extra,
    ];
  }

  it('an empty key (an unset variable) is named as the problem', async () => {
    const result = await runCli('ng_run', await ngRunArgs(fake.url, 'openai/gpt-oss-120b'), { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('needs an API key, and policy_api_key is empty');
    expect(result.stdout).not.toContain('servers ready');
  });

  it('a rejected key is named as the problem, without showing it', async () => {
    const wrong = ['nvapi', 'this', 'key', 'is', 'not', 'the', 'right', 'one', '42'].join('-');
    const result = await runCli('ng_run', await ngRunArgs(fake.url, 'openai/gpt-oss-120b'), { env: { POLICY_KEY: wrong } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rejected the API key (HTTP 401: Incorrect API key provided');
    expect(result.stderr + result.stdout).not.toContain(wrong);
  });

  it('an unknown model is named, with the models the endpoint serves', async () => {
    const result = await runCli('ng_run', await ngRunArgs(fake.url, 'openai/gpt-oss-12b'), { env: { POLICY_KEY: KEY } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("does not serve the model 'openai/gpt-oss-12b' (policy_model_name). It serves: openai/gpt-oss-120b, openai/gpt-oss-20b.");
    expect(result.stderr).toContain('+skip_endpoint_check=true');
  });

  it('an endpoint that refuses connections: ng_run starts with a warning, the one-command collector refuses to start', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/v1`;
    const ngRun = new CliProcess('ng_run', await ngRunArgs(closed, 'openai/gpt-oss-120b'), { env: { POLICY_KEY: KEY } });
    try {
      await ngRun.waitFor(/All 5 \/ 5 servers ready/);
      expect(ngRun.stderr).toMatch(/policy_model \(http:\/\/127\.0\.0\.1:\d+\/v1\) cannot be reached: ECONNREFUSED/);
    } finally {
      await ngRun.stop();
    }
    const output = join(mkdtempSync(join(tmpdir(), 'gym-check-')), 'rollouts.jsonl');
    const collect = await runCli('ng_collect_rollouts', [
      ...(await ngRunArgs(closed, 'openai/gpt-oss-120b')),
      '+agent_name=workplace_assistant_simple_agent',
      `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
      `+output_jsonl_fpath=${output}`,
    ], { env: { POLICY_KEY: KEY } });
    expect(collect.code).toBe(1);
    expect(collect.stderr).toMatch(/cannot be reached: ECONNREFUSED/);
  });

  it('a good endpoint passes, and +skip_endpoint_check=true skips the check', async () => {
    for (const [model, extra] of [['openai/gpt-oss-20b', []], ['no-such-model', ['+skip_endpoint_check=true']]] as const) {
      const ngRun = new CliProcess('ng_run', await ngRunArgs(fake.url, model, [...extra]), { env: { POLICY_KEY: KEY } });
      try {
        await ngRun.waitFor(/All 5 \/ 5 servers ready/);
      } finally {
        await ngRun.stop();
      }
    }
  });
});
