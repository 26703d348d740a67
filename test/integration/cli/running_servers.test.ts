import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const KEY = 'sk-running-servers-test-0000';

/**
 * The collector never silently uses someone else's servers: with +config_paths, servers already on the head port
 * must be the ones the config describes; whenever it uses running servers it says which.
 */
describe('collecting through servers that are already running', () => {
  let fake: FakeOpenAIServer;
  let ngRun: CliProcess;
  let port: number;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH) });
    port = await freePort();
    ngRun = new CliProcess('ng_run', configArgs('openai/gpt-oss-120b'), { env: { POLICY_KEY: KEY } });
    await ngRun.waitFor(/All 5 \/ 5 servers ready/);
  });
  afterAll(async () => {
    await ngRun?.stop();
    await fake?.close();
  });

  function configArgs(model: string): string[] {
    return [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${port}}`,
      `+policy_base_url=${fake.url}`,
      '+policy_api_key=${oc.env:POLICY_KEY}',
      `+policy_model_name=${model}`,
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
    ];
  }

  function collectArgs(output: string): string[] {
    return ['+agent_name=workplace_assistant_simple_agent', `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`, `+output_jsonl_fpath=${output}`, '+limit=2'];
  }

  it('+config_paths naming another model than the running servers is an error that shows the difference', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-running-')), 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', [...configArgs('openai/gpt-oss-20b'), ...collectArgs(output)], { env: { POLICY_KEY: KEY } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`A head server is already running at http://127.0.0.1:${port}, with a different configuration than +config_paths asks for`);
    expect(result.stderr).toContain('policy_model.responses_api_models.openai_model.openai_model: "openai/gpt-oss-120b" there, "openai/gpt-oss-20b" asked for');
    expect(readJsonl(output)).toHaveLength(0);
    expect(fake.modelRequests()).toHaveLength(0);
  });

  it('+config_paths matching the running servers uses them, and says so', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-running-')), 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', [...configArgs('openai/gpt-oss-120b'), ...collectArgs(output)], { env: { POLICY_KEY: KEY } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Using the servers already running at http://127.0.0.1:${port}. Agents: workplace_assistant_simple_agent (http://127.0.0.1:`);
    expect(result.stderr).toContain('Policy model: openai/gpt-oss-120b.');
    expect(readJsonl(output)).toHaveLength(2);
  });

  it('without +config_paths the running servers are used, and named', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-running-')), 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', [`+head_server={host: 127.0.0.1, port: ${port}}`, ...collectArgs(output)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Using the servers already running at http://127.0.0.1:${port}.`);
  });
});
