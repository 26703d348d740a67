import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { EXAMPLE_TASKS_PATH } from '../../support/fake_openai';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

describe('ng_help, ng_version, ng_test, ng_dump_config, ng_status', () => {
  it('ng_help lists the commands', async () => {
    const result = await runCli('ng_help', []);
    expect(result.code).toBe(0);
    for (const name of ['ng_run', 'ng_collect_rollouts', 'ng_viewer', 'ng_status', 'ng_dump_config', 'ng_test', 'ng_version']) expect(result.stdout).toContain(name);
  });

  it('ng_version prints versions, as JSON on request', async () => {
    const result = await runCli('ng_version', ['+json=true']);
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(info.gym_rollouts).toBe('0.1.0');
    expect(info.node).toMatch(/^v\d+/);
    expect(info.cpus).toBeGreaterThan(0);
  });

  it('ng_test finds the data and verifies every example ground truth', async () => {
    const ours = await runCli('ng_test', [`+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`]);
    expect(ours.code, ours.stdout + ours.stderr).toBe(0);
    expect(ours.stdout).toMatch(/✓ 12 of 12 rows of .*tasks\.jsonl verify to 1\.0/);
    const nemo = await runCli('ng_test', [`+workplace_assistant_data_dir=${WORKPLACE_CSV_DIR}`, `+input_jsonl_fpath=${EXAMPLE_TASKS_PATH}`]);
    expect(nemo.stdout).toMatch(/✓ 5 of 5 rows/);
  });

  it('ng_test with no data option uses the tables shipped in the package (offline, nothing downloaded)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gym-ng-test-'));
    const result = await runCli('ng_test', [], { cwd, env: { GYM_ROLLOUTS_CACHE: join(cwd, 'empty-cache') } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`✓ workplace_assistant tables: ${WORKPLACE_CSV_DIR} (bundled)`);
    expect(result.stdout).toMatch(/✓ 12 of 12 rows/);
  });

  it('ng_test with a download that fails explains every way to provide the data', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gym-ng-test-'));
    const args = ['+workplace_assistant_data_download=true', '+workplace_assistant_data_url=http://127.0.0.1:9/none'];
    const result = await runCli('ng_test', args, { cwd, env: { GYM_ROLLOUTS_CACHE: join(cwd, 'empty-cache') } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not reach http://127.0.0.1:9/none/');
    expect(result.stderr).toContain('+workplace_assistant_data_dir=');
    expect(result.stderr).toContain('NeMo Gym checkout');
  });

  it('ng_dump_config masks secrets by key and by value, even under an innocent key', async () => {
    const secret = ['sk', 'dumptest', 'abcdef0123456789'].join('-');
    const result = await runCli('ng_dump_config', [
      '+config_paths=[configs/openai_model.yaml,configs/workplace_assistant.yaml]',
      '+policy_base_url=http://127.0.0.1:9/v1',
      `+policy_api_key=${secret}`,
      '+policy_model_name=m',
      `+my_note=the key is ${secret}`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toContain('openai_api_key: "****"');
    expect(result.stdout).toMatch(/my_note: .*\*\*\*\*/);
  });

  it('ng_status without a head server says how to start one', async () => {
    const result = await runCli('ng_status', ['+head_server={host: 127.0.0.1, port: 9}']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('No NeMo Gym servers found running.');
  });

  it('NeMo Gym options that are not implemented are refused, not ignored', async () => {
    const result = await runCli('ng_collect_rollouts', ['+input_jsonl_fpath=a.jsonl', '+output_jsonl_fpath=b.jsonl', '+prompt_config=p.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('+prompt_config (a NeMo Gym option) is not supported');
  });

  it('a missing required option and an unparseable override are clear errors', async () => {
    const missing = await runCli('ng_collect_rollouts', ['+input_jsonl_fpath=a.jsonl']);
    expect(missing.stderr).toContain('+output_jsonl_fpath=<rollouts.jsonl> is required');
    const broken = await runCli('ng_run', ['+config_paths=[configs/workplace_assistant.yaml']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/config_paths/);
    expect(broken.stderr).not.toMatch(/^\s+at /m);
  });
});
