import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRollouts } from '../../../src/core/collect/collect';
import { silentLogger } from '../../../src/core/logger';
import type { RunningServers } from '../../../src/core/servers/api';
import { runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH, oracleScript, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake_openai';
import { startTestServers } from '../../support/embedded';
import { freePort } from '../../support/free_port';
import { readJsonl } from '../../support/jsonl';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

interface FailureLine {
  _ng_task_index: number;
  _ng_rollout_index: number;
  _ng_failure_class: string;
  _ng_failure_terminal: boolean;
}

/**
 * `+rollout_timeout_seconds` against an upstream that never answers: every rollout ends as a failure line
 * (`rollout_timeout`), never as a silent cancel, whatever the transport, and the run ends by itself.
 */
describe('rollout timeouts', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer({ script: oracleScript(EXAMPLE_TASKS_PATH), faults: { decide: () => ({ kind: 'hang' }) } });
  });
  afterAll(async () => fake?.close());

  it.each([true, false])('in one process (in-process transport %s): each rollout is a rollout_timeout failure line', async (inProcess) => {
    const servers: RunningServers = await startTestServers({
      configs: ['configs/openai_model.yaml', 'configs/workplace_assistant.yaml'],
      policyBaseUrl: fake.url,
      policyApiKey: 'sk-timeouts-test-000000',
      policyModelName: 'gpt-test',
      extra: [`+in_process_transport=${inProcess}`],
    });
    try {
      const output = join(mkdtempSync(join(tmpdir(), 'gym-timeout-')), 'rollouts.jsonl');
      const summary = await collectRollouts(
        {
          inputJsonlPath: EXAMPLE_TASKS_PATH,
          outputJsonlPath: output,
          agentName: 'workplace_assistant_simple_agent',
          limit: 3,
          numRepeats: 2,
          maxAttempts: 2,
          rolloutTimeoutMs: 300,
          inProcessTransport: inProcess,
        },
        { headServerUrl: servers.headServerUrl },
        {},
        silentLogger,
      );
      expect(summary.stop).toBeNull();
      expect(summary.cancelled).toBe(false);
      expect(summary.done).toBe(0);
      expect(summary.failed).toBe(6);
      const failures = readJsonl<FailureLine>(join(output, '..', 'rollouts_failures.jsonl'));
      expect(failures.map((f) => `${f._ng_task_index}:${f._ng_rollout_index}`).sort()).toEqual(['0:0', '0:1', '1:0', '1:1', '2:0', '2:1']);
      for (const failure of failures) {
        expect(failure._ng_failure_class).toBe('rollout_timeout');
        expect(failure._ng_failure_terminal).toBe(false);
      }
    } finally {
      await servers.stop();
    }
  });

  it('the one-command form: failure lines, a summary that says so, and exit code 3', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'gym-timeout-cli-')), 'rollouts.jsonl');
    const result = await runCli('ng_collect_rollouts', [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      `+head_server={host: 127.0.0.1, port: ${await freePort()}}`,
      `+policy_base_url=${fake.url}`,
      '+policy_api_key=${oc.env:TEST_KEY}',
      '+policy_model_name=gpt-test',
      `+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`,
      '+agent_name=workplace_assistant_simple_agent',
      `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`,
      `+output_jsonl_fpath=${output}`,
      '+limit=3',
      '+num_repeats=2',
      '+max_attempts=1',
      '+rollout_timeout_seconds=0.3',
    ], { env: { TEST_KEY: 'sk-timeouts-test-000000' } });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain('0 written, 6 failed, 6 in all');
    expect(result.stdout).toContain('Collection finished with 6 failed rollouts');
    const failures = readJsonl<FailureLine>(join(output, '..', 'rollouts_failures.jsonl'));
    expect(failures).toHaveLength(6);
    expect(new Set(failures.map((f) => f._ng_failure_class))).toEqual(new Set(['rollout_timeout']));
  });
});
